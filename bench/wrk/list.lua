-- GET a page of the deals list (50 deals). By default the first page of the whole workspace,
-- newest first; with KARIZ_LIST_FILTERED=1, the open deals of a random stage by amount, largest
-- first (a filtered and sorted page).
local stages = {}
local token = os.getenv("KARIZ_TOKEN")
local pipeline = os.getenv("KARIZ_PIPELINE")
local filtered = os.getenv("KARIZ_LIST_FILTERED") == "1"

init = function(args)
  for line in io.lines(os.getenv("KARIZ_STAGES_FILE")) do stages[#stages + 1] = line end
  math.randomseed(math.floor(os.clock() * 1e9) % 2147483647)
end

request = function()
  local path = "/api/v1/deals?limit=50"
  if filtered then
    path = "/api/v1/deals?pipeline_id=" .. pipeline .. "&stage_id=" .. stages[math.random(#stages)]
      .. "&status=open&sort=-amount_minor&limit=50"
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

-- KARIZ_DELAY_MS: a steady offered rate instead of saturation (bench/wrk/pace.lua).
dofile("bench/wrk/pace.lua")
