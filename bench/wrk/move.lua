-- Move a random deal to a random stage (last in the column): one deal row, one stage-history
-- row and one outbox event per move, in one transaction. `If-Match: *` because the load client
-- does not track versions; the server still compare-and-swaps on the version it read.
local ids = {}
local stages = {}
local token = os.getenv("KARIZ_TOKEN")

init = function(args)
  for line in io.lines(os.getenv("KARIZ_DEALS_FILE")) do ids[#ids + 1] = line end
  for line in io.lines(os.getenv("KARIZ_STAGES_FILE")) do stages[#stages + 1] = line end
  math.randomseed(math.floor(os.clock() * 1e9) % 2147483647)
end

request = function()
  local id = ids[math.random(#ids)]
  local stage = stages[math.random(#stages)]
  local body = '{"stage_id":"' .. stage .. '"}'
  return wrk.format("POST", "/api/v1/deals/" .. id .. "/move", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["If-Match"] = "*",
  }, body)
end

-- KARIZ_DELAY_MS: a steady offered rate instead of saturation (bench/wrk/pace.lua).
dofile("bench/wrk/pace.lua")
