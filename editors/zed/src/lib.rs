//! Zed extension for immuno-ls: runs `immuno-ls --stdio` (from the `lsp.immuno-ls.binary` settings,
//! else `PATH`) for Markdown and plain text, and passes `lsp.immuno-ls.settings` (the server's
//! `immunoLs` section) as workspace configuration and, unless given separately, as
//! initialization options.

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

struct ImmunoLs;

const BINARY: &str = "immuno-ls";

fn settings(id: &LanguageServerId, worktree: &zed::Worktree) -> LspSettings {
    LspSettings::for_worktree(id.as_ref(), worktree).unwrap_or_default()
}

impl zed::Extension for ImmunoLs {
    fn new() -> Self {
        ImmunoLs
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = settings(id, worktree).binary;
        let (path, arguments, extra_env) = match binary {
            Some(b) => (b.path, b.arguments, b.env.unwrap_or_default()),
            None => (None, None, Default::default()),
        };
        let command = match path {
            Some(path) => path,
            None => worktree.which(BINARY).ok_or_else(|| {
                "immuno-ls was not found on PATH. Install it (`cargo install --path .` in the \
                 immuno-ls repository) or set \"lsp\": { \"immuno-ls\": { \"binary\": { \"path\": \
                 \"/path/to/immuno-ls\" } } } in Zed's settings."
                    .to_string()
            })?,
        };
        let mut env = worktree.shell_env();
        env.extend(extra_env);
        Ok(zed::Command {
            command,
            args: arguments.unwrap_or_else(|| vec!["--stdio".to_string()]),
            env,
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        let s = settings(id, worktree);
        Ok(s.initialization_options.or(s.settings))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(settings(id, worktree).settings)
    }
}

zed::register_extension!(ImmunoLs);
