# immuno-ls for Kakoune with kakoune-lsp (version 17 or later): source this file from your kakrc
# after kakoune-lsp is loaded (`eval %sh{kak-lsp}`).

# Plain-text notes get a file type, so that the hooks below see them.
hook global BufCreate .*\.txt %{
    set-option buffer filetype plain
}

hook -group lsp-filetype-immuno-ls global BufSetOption filetype=(?:markdown|plain) %{
    set-option buffer lsp_servers %{
        [immuno-ls]
        command = "immuno-ls"
        args = ["--stdio"]
        root_globs = [".immuno-ls.toml", ".git", ".hg"]
        settings_section = "immunoLs"
        [immuno-ls.settings.immunoLs]
        vocabulary = []
        inlayHints = false
        rules = { "outdated-status" = "information" }
    }
}

hook global BufSetOption filetype=plain %{
    set-option buffer lsp_language_id plaintext
}

hook global WinSetOption filetype=(?:markdown|plain) %{
    lsp-enable-window
}
