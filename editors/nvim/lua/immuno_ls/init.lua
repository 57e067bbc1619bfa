-- immuno-ls for Neovim: starts the immuno-ls language server for Markdown and text buffers.
--
--   require("immuno_ls").setup({
--     cmd = { "immuno-ls", "--stdio" },          -- the default
--     filetypes = { "markdown", "text" },         -- the default
--     settings = { rules = { ["outdated-status"] = "warning" } },
--   })
--
-- Works on Neovim 0.7 (vim.lsp.start_client), uses vim.lsp.start on 0.8+ and vim.lsp.config /
-- vim.lsp.enable on 0.11+. `settings` is the server's `immunoLs` section (vocabulary, rules,
-- inlayHints, languageIds, pushDiagnostics); it is sent as initializationOptions and answers the
-- server's workspace/configuration requests.

local M = {}

M.name = "immuno_ls"

M.defaults = {
  cmd = { "immuno-ls", "--stdio" },
  filetypes = { "markdown", "text" },
  root_markers = { ".immuno-ls.toml", ".git" },
  settings = {},
  -- Passed on to the client config when given.
  on_init = nil,
  on_attach = nil,
  capabilities = nil,
  -- "auto" picks the newest API the running Neovim has: "config" (0.11+), "start" (0.8+),
  -- "start_client" (0.7). Tests force one.
  api = "auto",
}

local uv = vim.loop or vim.uv

local function deep_extend(a, b)
  return vim.tbl_deep_extend("force", a, b or {})
end

--- The `immunoLs` section from the user's settings: `{ rules = ... }` or `{ immunoLs = { ... } }`.
local function section(settings)
  settings = settings or {}
  if type(settings.immunoLs) == "table" then
    return settings.immunoLs
  end
  return settings
end

--- The directory of `path` (no vim.fs on 0.7).
local function dirname(path)
  local d = path:match("^(.*)/[^/]*$")
  if d == nil or d == "" then
    return "/"
  end
  return d
end

--- The nearest ancestor of `path` holding one of `markers`, else the file's own directory.
function M.find_root(path, markers)
  if path == nil or path == "" then
    return uv.cwd()
  end
  local start = dirname(path)
  local dir = start
  while true do
    for _, m in ipairs(markers) do
      if uv.fs_stat(dir .. "/" .. m) then
        return dir
      end
    end
    local parent = dirname(dir)
    if parent == dir then
      break
    end
    dir = parent
  end
  return start
end

--- Which API to use: the one requested when this Neovim has it, else the newest it has.
function M.api(requested)
  local has = {
    config = vim.lsp.config ~= nil and vim.lsp.enable ~= nil,
    start = vim.lsp.start ~= nil,
    start_client = vim.lsp.start_client ~= nil,
  }
  if requested ~= nil and has[requested] then
    return requested
  end
  if has.config then
    return "config"
  elseif vim.lsp.start ~= nil then
    return "start"
  end
  return "start_client"
end

--- The `immunoLs` section as it must go on the wire: an empty Lua table would be sent as a JSON
--- list, so empty objects are marked as such.
function M.wire_section(s)
  s = vim.deepcopy(s or {})
  if type(s.rules) == "table" and next(s.rules) == nil then
    s.rules = vim.empty_dict()
  end
  if next(s) == nil then
    return vim.empty_dict()
  end
  return s
end

--- on_init: the server publishes its diagnostics; Neovim 0.10+ would also pull them (the server
--- offers both) and show each one twice, so pulling is switched off for this client.
function M.on_init(user_on_init)
  return function(client, result)
    if client.server_capabilities then
      client.server_capabilities.diagnosticProvider = nil
    end
    if user_on_init then
      return user_on_init(client, result)
    end
  end
end

--- The client config for a root directory (used by every API).
function M.client_config(opts, root_dir)
  local s = M.wire_section(section(opts.settings))
  local cfg = {
    name = M.name,
    cmd = opts.cmd,
    root_dir = root_dir,
    settings = { immunoLs = s },
    init_options = { immunoLs = s },
    on_init = M.on_init(opts.on_init),
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
  if root_dir ~= nil then
    cfg.workspace_folders = { { uri = vim.uri_from_fname(root_dir), name = root_dir } }
  end
  return cfg
end

-- Neovim 0.7: one client per root directory, attached to each buffer.
local clients_by_root = {}

local function attach_0_7(opts, bufnr)
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr), opts.root_markers)
  local id = clients_by_root[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(M.client_config(opts, root))
    if id == nil then
      vim.notify("immuno-ls: could not start " .. table.concat(opts.cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function attach_0_8(opts, bufnr)
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr), opts.root_markers)
  vim.lsp.start(M.client_config(opts, root), { bufnr = bufnr })
end

--- Whether `cmd[1]` can be run; otherwise says how to fix it (once).
local warned = false
local function check_cmd(opts)
  local exe = opts.cmd and opts.cmd[1]
  if exe ~= nil and vim.fn.executable(exe) == 1 then
    return true
  end
  if not warned then
    warned = true
    vim.notify(
      ("immuno-ls: %q was not found. Install it (cargo install --path . in the immuno-ls repository) "
        .. "or pass its path: require(\"immuno_ls\").setup({ cmd = { \"/path/to/immuno-ls\", \"--stdio\" } })"):format(
        tostring(exe)
      ),
      vim.log.levels.ERROR
    )
  end
  return false
end

M.options = nil

function M.setup(user)
  local opts = deep_extend(vim.deepcopy(M.defaults), user)
  -- Lists are replaced, not merged.
  if user and user.cmd then
    opts.cmd = user.cmd
  end
  if user and user.filetypes then
    opts.filetypes = user.filetypes
  end
  M.options = opts
  local api = M.api(opts.api)
  M.used_api = api

  if api == "config" then
    local cfg = M.client_config(opts, nil)
    cfg.root_dir = nil
    cfg.workspace_folders = nil
    cfg.filetypes = opts.filetypes
    cfg.root_markers = opts.root_markers
    vim.lsp.config(M.name, cfg)
    if check_cmd(opts) then
      vim.lsp.enable(M.name)
    end
  else
    local group = vim.api.nvim_create_augroup("immuno_ls", { clear = true })
    local attach = api == "start" and attach_0_8 or attach_0_7
    local function maybe_attach(bufnr)
      if vim.bo[bufnr].buftype ~= "" then
        return
      end
      if not check_cmd(opts) then
        return
      end
      attach(opts, bufnr)
    end
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = opts.filetypes,
      callback = function(args)
        maybe_attach(args.buf)
      end,
    })
    -- Buffers already open when setup() runs.
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
        maybe_attach(bufnr)
      end
    end
  end

  vim.api.nvim_create_user_command("ImmunoLsRestart", function()
    M.restart()
  end, { desc = "Restart the immuno-ls language server" })
end

--- The running immuno-ls clients.
function M.clients()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local out = {}
  for _, c in ipairs(get()) do
    if c.name == M.name then
      table.insert(out, c)
    end
  end
  return out
end

--- Stops the clients and attaches every matching buffer again.
function M.restart()
  local opts = M.options or M.defaults
  for _, c in ipairs(M.clients()) do
    if vim.fn.has("nvim-0.11") == 1 then
      c:stop()
    else
      c.stop()
    end
  end
  clients_by_root = {}
  vim.defer_fn(function()
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
        if M.used_api == "start_client" then
          attach_0_7(opts, bufnr)
        else
          attach_0_8(opts, bufnr)
        end
      end
    end
  end, 500)
end

return M
