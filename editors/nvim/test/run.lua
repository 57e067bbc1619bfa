-- Headless Neovim test of the immuno_ls plugin against the real server:
--
--   IMMUNO_LS_BIN=/path/to/immuno-ls nvim --headless -u NONE -i NONE -c "luafile editors/nvim/test/run.lua"
--
-- IMMUNO_LS_NVIM_API: auto (default), config, start, start_client (setup() with that API; one the
-- running Neovim lacks falls back to the newest it has), lspdir (0.11+: no setup(), only
-- lsp/immuno_ls.lua and vim.lsp.enable, with the default settings), or none (the negative control:
-- nothing is set up, so every check must fail). Prints one line per check and
-- "N passed, M failed"; exits 0 only when every check passed. Only the synthetic note below is
-- opened, so the output never holds other document text.

local bin = os.getenv("IMMUNO_LS_BIN")
local api = os.getenv("IMMUNO_LS_NVIM_API") or "auto"
local here = debug.getinfo(1, "S").source:sub(2):match("^(.*)/test/[^/]*$")
local negative = api == "none"
local WAIT = negative and 3000 or 20000

vim.opt.runtimepath:prepend(here)
vim.cmd("filetype on")
vim.o.swapfile = false
vim.o.shadafile = "NONE"

local lspdir = api == "lspdir"

-- Messages the server shows (window/showMessage), to catch settings it could not read.
local shown = {}
local show_message = vim.lsp.handlers["window/showMessage"]
vim.lsp.handlers["window/showMessage"] = function(err, result, ctx, config)
  table.insert(shown, result and result.message or "")
  return show_message(err, result, ctx, config)
end

local results = {}
local function check(name, fn)
  local ok, detail = pcall(fn)
  table.insert(results, { name = name, ok = ok, detail = detail })
  io.stdout:write(("%s %s%s\n"):format(ok and "ok  " or "FAIL", name, detail and (" — " .. tostring(detail)) or ""))
end

local function finish()
  local passed, failed = 0, 0
  for _, r in ipairs(results) do
    if r.ok then
      passed = passed + 1
    else
      failed = failed + 1
    end
  end
  io.stdout:write(("%d passed, %d failed\n"):format(passed, failed))
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, c in ipairs(get()) do
    if vim.fn.has("nvim-0.11") == 1 then
      c:stop(true)
    else
      c.stop(true)
    end
  end
  vim.wait(1000, function()
    return #get() == 0
  end, 50)
  if failed == 0 then
    vim.cmd("qall!")
  else
    vim.cmd("cquit 1")
  end
end

local function fail(msg)
  error(msg, 0)
end

local function code_of(d)
  if d.code ~= nil then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end

-- The note: synthetic text only.
local dir = vim.fn.tempname()
vim.fn.mkdir(dir, "p")
local note = dir .. "/note.md"
vim.fn.writefile({
  "# Test note",
  "",
  "Eczema is an autoimmune disease.",
  "",
  "Dupilumab is given every two weeks.",
  "",
  "Nemolizumab is still in development for AD.",
  "",
  "tralokinumab blocks ",
}, note)
-- A project file marks the root (and is read by the server).
vim.fn.writefile({ "[rules]", 'contagious-myth = "error"' }, dir .. "/.immuno-ls.toml")

local ok_all = pcall(function()
  io.stdout:write(("Neovim %s, API %s\n"):format(tostring(vim.version and vim.version() and
    (vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch) or "?"), api))

  if lspdir then
    vim.lsp.config("immuno_ls", { cmd = { bin, "--stdio" } })
    vim.lsp.enable("immuno_ls")
  elseif not negative then
    require("immuno_ls").setup({
      cmd = { bin, "--stdio" },
      settings = { rules = { ["outdated-status"] = "error" } },
      api = api,
    })
  end
  vim.cmd("edit " .. vim.fn.fnameescape(note))
  local buf = vim.api.nvim_get_current_buf()
  local client

  check("the client starts and attaches to the markdown buffer", function()
    if vim.bo[buf].filetype ~= "markdown" then
      fail("filetype " .. vim.bo[buf].filetype)
    end
    local got = vim.wait(WAIT, function()
      local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) or vim.lsp.buf_get_clients(buf)
      for _, c in pairs(clients) do
        if c.name == "immuno_ls" and c.initialized ~= false then
          client = c
          return true
        end
      end
      return false
    end, 50)
    if not got then
      fail("no immuno_ls client on the buffer")
    end
    local used = lspdir and "lsp/immuno_ls.lua" or require("immuno_ls").used_api
    return ("client %d via %s, root %s"):format(client.id, tostring(used), tostring(client.config.root_dir) == dir and "the project folder" or tostring(client.config.root_dir))
  end)

  check("diagnostics appear (autoimmune-misnomer)", function()
    local found
    vim.wait(WAIT, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if code_of(d) == "autoimmune-misnomer" then
          found = d
          return true
        end
      end
      return false
    end, 50)
    if not found then
      fail("no autoimmune-misnomer diagnostic")
    end
    local word = vim.api.nvim_buf_get_text(buf, found.lnum, found.col, found.end_lnum, found.end_col, {})[1]
    if word ~= "autoimmune" then
      fail("covers " .. tostring(word))
    end
    if found.severity ~= vim.diagnostic.severity.WARN then
      fail("severity " .. tostring(found.severity))
    end
    vim.wait(1000)
    local n = 0
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if code_of(d) == "autoimmune-misnomer" then
        n = n + 1
      end
    end
    if n ~= 1 then
      fail(("%d autoimmune-misnomer diagnostics, expected one"):format(n))
    end
    return ("line %d, %d diagnostic(s)"):format(found.lnum + 1, #vim.diagnostic.get(buf))
  end)

  local want = lspdir and vim.diagnostic.severity.INFO or vim.diagnostic.severity.ERROR
  local want_name = lspdir and "INFO (the default)" or "ERROR (raised by the settings)"
  check("settings reach the server: outdated-status is " .. want_name, function()
    local found
    vim.wait(WAIT, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if code_of(d) == "outdated-status" then
          found = d
          return true
        end
      end
      return false
    end, 50)
    if not found then
      fail("no outdated-status diagnostic")
    end
    if found.severity ~= want then
      fail("severity " .. tostring(found.severity) .. ", expected " .. want_name)
    end
    for _, m in ipairs(shown) do
      if m:find("settings", 1, true) then
        fail("the server could not read the settings: " .. m)
      end
    end
    return ("severity %s, no settings problem reported"):format(want_name)
  end)

  check("hover returns the definition of dupilumab", function()
    local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 4, character = 3 } }
    local res = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, WAIT) or {}
    local text
    for _, r in pairs(res) do
      if r.result and r.result.contents then
        local c = r.result.contents
        text = type(c) == "string" and c or c.value
      end
    end
    if not text or not text:find("monoclonal antibody", 1, true) or not text:find("IL-4", 1, true) then
      fail("no definition in the hover")
    end
    -- What a person sees: K (vim.lsp.buf.hover) opens a floating window with it.
    vim.api.nvim_win_set_cursor(0, { 5, 3 })
    vim.lsp.buf.hover()
    local float_text
    vim.wait(WAIT, function()
      for _, w in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(w).relative ~= "" then
          local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false)
          float_text = table.concat(lines, "\n")
          if float_text:find("monoclonal antibody", 1, true) then
            return true
          end
        end
      end
      return false
    end, 50)
    if not float_text or not float_text:find("monoclonal antibody", 1, true) then
      fail("no hover window with the definition")
    end
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= "" then
        vim.api.nvim_win_close(w, true)
      end
    end
    return ("%d characters, shown in a floating window"):format(#text)
  end)

  check('completion after "tralokinumab blocks " offers the drug targets', function()
    local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 8, character = 20 } }
    local res = vim.lsp.buf_request_sync(buf, "textDocument/completion", params, WAIT) or {}
    local labels = {}
    for _, r in pairs(res) do
      local items = r.result and (r.result.items or r.result) or {}
      for _, it in ipairs(items) do
        table.insert(labels, it.label)
      end
    end
    if not vim.tbl_contains(labels, "IL-13") then
      fail("IL-13 not offered (" .. table.concat(labels, ", ") .. ")")
    end
    return ("%d item(s): %s"):format(#labels, table.concat(labels, ", "))
  end)

  check("the code action applies and rewrites the text", function()
    local diag
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if code_of(d) == "autoimmune-misnomer" then
        diag = d
      end
    end
    if not diag then
      fail("no diagnostic to fix")
    end
    -- As a person does it: the cursor on the word, vim.lsp.buf.code_action(), pick the fix in the
    -- menu (vim.ui.select, answered here).
    vim.api.nvim_win_set_cursor(0, { diag.lnum + 1, diag.col + 2 })
    local offered, picked = {}, nil
    local select = vim.ui.select
    vim.ui.select = function(items, opts, on_choice)
      for i, item in ipairs(items) do
        local a = item.action or item[2]
        table.insert(offered, a.title)
        if picked == nil and a.title:find("immune-mediated", 1, true) then
          picked = a.title
          on_choice(item, i)
          return
        end
      end
      on_choice(nil, nil)
    end
    vim.lsp.buf.code_action()
    local changed = vim.wait(WAIT, function()
      return vim.api.nvim_buf_get_lines(buf, 2, 3, false)[1] ~= "Eczema is an autoimmune disease."
    end, 50)
    vim.ui.select = select
    if not picked then
      fail("no quick fix offered (" .. table.concat(offered, " | ") .. ")")
    end
    if not changed then
      fail("the text did not change")
    end
    local action = { title = picked }
    local line = vim.api.nvim_buf_get_lines(buf, 2, 3, false)[1]
    if line ~= "Eczema is an immune-mediated disease." then
      fail("the line reads: " .. line)
    end
    local cleared = vim.wait(WAIT, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if code_of(d) == "autoimmune-misnomer" then
          return false
        end
      end
      return true
    end, 50)
    if not cleared then
      fail("the diagnostic did not clear")
    end
    return ('"%s" applied; the diagnostic cleared'):format(action.title)
  end)

  check(lspdir and ":lsp restart-free run: the client stays up" or ":ImmunoLsRestart restarts the server", function()
    if lspdir then
      if client == nil or (client.is_stopped and client:is_stopped()) then
        fail("the client stopped")
      end
      return "vim.lsp.enable route has no plugin command"
    end
    if vim.fn.exists(":ImmunoLsRestart") ~= 2 then
      fail("no :ImmunoLsRestart command")
    end
    local old = client.id
    vim.cmd("ImmunoLsRestart")
    local back = vim.wait(WAIT, function()
      local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) or vim.lsp.buf_get_clients(buf)
      for _, c in pairs(clients) do
        if c.name == "immuno_ls" and c.id ~= old then
          for _, d in ipairs(vim.diagnostic.get(buf)) do
            if code_of(d) == "outdated-status" then
              return true
            end
          end
        end
      end
      return false
    end, 50)
    if not back then
      fail("no new client with diagnostics")
    end
    return "a new client published diagnostics"
  end)
end)

if not ok_all then
  table.insert(results, { name = "the test itself", ok = false })
  io.stdout:write("FAIL the test itself\n")
end
vim.fn.delete(dir, "rf")
finish()
