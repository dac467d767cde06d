-- GET the board of the seeded pipeline (first 50 cards of each column).
local token = os.getenv("KARIZ_TOKEN")
local pipeline = os.getenv("KARIZ_PIPELINE")

request = function()
  return wrk.format("GET", "/api/v1/pipelines/" .. pipeline .. "/board", { ["Authorization"] = "Bearer " .. token })
end

-- With KARIZ_DELAY_MS, each connection pauses between requests: a steady offered rate of
-- connections × 1000 / delay requests per second instead of saturation.
local pause = tonumber(os.getenv("KARIZ_DELAY_MS") or "")
if pause then
  delay = function() return pause end
end
