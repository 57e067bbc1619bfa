-- Neovim 0.11+: with this folder on the runtimepath, `vim.lsp.enable("immuno_ls")` starts immuno-ls
-- for Markdown and text buffers. Override with vim.lsp.config("immuno_ls", { ... }) (for example
-- cmd, or settings = { immunoLs = { rules = { ["outdated-status"] = "warning" } } }), or use
-- require("immuno_ls").setup({ ... }), which also works on Neovim 0.7 to 0.10.
return {
  cmd = { "immuno-ls", "--stdio" },
  filetypes = { "markdown", "text" },
  root_markers = { ".immuno-ls.toml", ".git" },
  settings = { immunoLs = vim.empty_dict() },
  init_options = { immunoLs = vim.empty_dict() },
  -- The server publishes diagnostics; do not also pull them (each would show twice).
  on_init = function(client)
    client.server_capabilities.diagnosticProvider = nil
  end,
}
