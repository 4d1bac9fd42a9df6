-- The language server in a real editor: Neovim (0.7 or later, headless)
-- starts it, opens a program with a mistake, and checks that the
-- diagnostic, a hover and a completion arrive.
--
--   INFRAC_LSP="infrac lsp" nvim --headless -u NONE -c "luafile editors/neovim/test-lsp.lua" FILE
--
-- FILE must hold `stag` where `stage` is meant (E0201), a `BucketName` key
-- and a line whose only text is `  Vers`. Exits 0 when everything arrived,
-- 1 otherwise, saying what did not.

local function fail(message)
  io.stdout:write("FAILED: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local command = vim.split(os.getenv("INFRAC_LSP") or "infrac lsp", " ", { trimempty = true })
local buf = vim.api.nvim_get_current_buf()
local file = vim.api.nvim_buf_get_name(buf)
local client_id = vim.lsp.start_client({
  name = "infrac",
  cmd = command,
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
if not client_id then
  fail("could not start " .. table.concat(command, " "))
end
vim.lsp.buf_attach_client(buf, client_id)

-- The diagnostic.
local arrived = vim.wait(30000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
if not arrived then
  fail("no diagnostics within 30 s")
end
local codes = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(codes, tostring(d.code))
end
io.stdout:write("diagnostics: " .. table.concat(codes, ", ") .. "\n")
if not vim.tbl_contains(codes, "E0201") then
  fail("no E0201 among the diagnostics")
end

local client = vim.lsp.get_client_by_id(client_id)
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local function find(pattern)
  for i, line in ipairs(lines) do
    local column = line:find(pattern)
    if column then
      return { line = i - 1, character = column - 1 }
    end
  end
  fail("the file has no line matching " .. pattern)
end
local uri = vim.uri_from_bufnr(buf)

-- A hover on a CloudFormation property.
local hover = client.request_sync("textDocument/hover", {
  textDocument = { uri = uri },
  position = find("BucketName"),
}, 10000, buf)
local text = hover and hover.result and hover.result.contents and hover.result.contents.value or ""
io.stdout:write("hover: " .. (text:gsub("\n.*", "")) .. "\n")
if not text:find("BucketName", 1, true) then
  fail("the hover does not document BucketName")
end

-- A completion of a property name after `Vers`.
local at = find("^  Vers$")
at.character = 6
local completion = client.request_sync("textDocument/completion", {
  textDocument = { uri = uri },
  position = at,
}, 10000, buf)
local items = completion and completion.result and (completion.result.items or completion.result) or {}
local labels = {}
for _, item in ipairs(items) do
  labels[item.label] = true
end
io.stdout:write("completion: " .. #items .. " items\n")
if not labels["VersioningConfiguration"] then
  fail("VersioningConfiguration is not offered")
end

client.stop()
vim.wait(5000, function()
  return client.is_stopped()
end, 50)
io.stdout:write("ok: diagnostics, hover and completion arrived\n")
vim.cmd("qall!")
