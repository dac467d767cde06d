-- Shared by the wrk scripts (`dofile`): with KARIZ_DELAY_MS, each connection pauses between
-- requests, a steady offered rate of connections × 1000 / delay requests per second instead of
-- saturation. Each pause is drawn between 0 and twice the delay (the same mean), so that the
-- connections do not send in step: equal pauses send every connection's request at once, a
-- burst of one request per connection at the start and whenever they fall back in step, which
-- is not the steady rate the load stands for. KARIZ_DELAY_FIXED=1 keeps every pause equal (as
-- every figure before the million-deal run of 2026-12-06 in bench/RESULTS.md was taken).
local pause = tonumber(os.getenv("KARIZ_DELAY_MS") or "")
if pause then
  local fixed = os.getenv("KARIZ_DELAY_FIXED") == "1"
  -- Each wrk thread has a Lua state of its own: seed each apart (a table's address differs).
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
  delay = function()
    if fixed then return pause end
    return math.random(0, 2 * pause)
  end
end
