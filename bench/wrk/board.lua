-- GET the board of the seeded pipeline (first 50 cards of each column).
local token = os.getenv("KARIZ_TOKEN")
local pipeline = os.getenv("KARIZ_PIPELINE")

request = function()
  return wrk.format("GET", "/api/v1/pipelines/" .. pipeline .. "/board", { ["Authorization"] = "Bearer " .. token })
end

-- KARIZ_DELAY_MS: a steady offered rate instead of saturation (bench/wrk/pace.lua).
dofile("bench/wrk/pace.lua")
