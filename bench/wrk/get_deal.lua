-- GET one deal, chosen at random among the seeded ones, with a bearer token.
local ids = {}
local token = os.getenv("KARIZ_TOKEN")

init = function(args)
  for line in io.lines(os.getenv("KARIZ_DEALS_FILE")) do ids[#ids + 1] = line end
  math.randomseed(math.floor(os.clock() * 1e9) % 2147483647)
end

request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v1/deals/" .. id, { ["Authorization"] = "Bearer " .. token })
end

-- KARIZ_DELAY_MS: a steady offered rate instead of saturation (bench/wrk/pace.lua).
dofile("bench/wrk/pace.lua")
