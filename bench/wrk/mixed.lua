-- A mixed workload for the soak run: per request, GET one deal (55%), a list page (15%: first
-- page or a filtered, sorted one), the board (5%), a move (15%) or an intake submission (10%).
-- Each connection pauses KARIZ_DELAY_MS on average between requests (bench/wrk/pace.lua), so the
-- offered rate is steady.
local ids = {}
local stages = {}
local token = os.getenv("KARIZ_TOKEN")
local key = os.getenv("KARIZ_API_KEY")
local pipeline = os.getenv("KARIZ_PIPELINE")
local bearer = { ["Authorization"] = "Bearer " .. token }
local threads = 0
local sent = 0

setup = function(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

init = function(args)
  for line in io.lines(os.getenv("KARIZ_DEALS_FILE")) do ids[#ids + 1] = line end
  for line in io.lines(os.getenv("KARIZ_STAGES_FILE")) do stages[#stages + 1] = line end
  math.randomseed(math.floor(os.clock() * 1e9) % 2147483647)
  run = math.random(1, 2147483646)
end

local function json_post(path, headers, body)
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", path, headers, body)
end

request = function()
  local pick = math.random(100)
  local id = ids[math.random(#ids)]
  local stage = stages[math.random(#stages)]
  if pick <= 55 then
    return wrk.format("GET", "/api/v1/deals/" .. id, bearer)
  elseif pick <= 63 then
    return wrk.format("GET", "/api/v1/deals?limit=50", bearer)
  elseif pick <= 70 then
    return wrk.format("GET", "/api/v1/deals?pipeline_id=" .. pipeline .. "&stage_id=" .. stage
      .. "&status=open&sort=-amount_minor&limit=50", bearer)
  elseif pick <= 75 then
    return wrk.format("GET", "/api/v1/pipelines/" .. pipeline .. "/board", bearer)
  elseif pick <= 90 then
    return json_post("/api/v1/deals/" .. id .. "/move",
      { ["Authorization"] = "Bearer " .. token, ["If-Match"] = "*" }, '{"stage_id":"' .. stage .. '"}')
  else
    sent = sent + 1
    local n = string.format("%d-%d-%d", run, thread_id, sent)
    return json_post("/api/v1/intake/leads", { ["Authorization"] = "Bearer " .. key },
      '{"name":"Soak ' .. n .. '","email":"soak-' .. n .. '@bench.test","source":"website"}')
  end
end

-- KARIZ_DELAY_MS: a steady offered rate instead of saturation (bench/wrk/pace.lua).
dofile("bench/wrk/pace.lua")

