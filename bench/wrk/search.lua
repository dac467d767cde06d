-- GET /search with one of the queries in KARIZ_SEARCH_QUERIES (comma-separated, URL-encoded),
-- picked at random per request.
local queries = {}
local token = os.getenv("KARIZ_TOKEN")

init = function(args)
  for query in string.gmatch(os.getenv("KARIZ_SEARCH_QUERIES"), "[^,]+") do queries[#queries + 1] = query end
  math.randomseed(math.floor(os.clock() * 1e9) % 2147483647)
end

request = function()
  local path = "/api/v1/search?q=" .. queries[math.random(#queries)]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
