-- GET KARIZ_TIMELINE_PATH, with `{contact}` replaced by a contact picked at random per request
-- from KARIZ_CONTACTS_FILE.
local contacts = {}
local token = os.getenv("KARIZ_TOKEN")
local path = os.getenv("KARIZ_TIMELINE_PATH")

init = function(args)
  for line in io.lines(os.getenv("KARIZ_CONTACTS_FILE")) do contacts[#contacts + 1] = line end
  math.randomseed(math.floor(os.clock() * 1e9) % 2147483647)
end

request = function()
  local target = path:gsub("{contact}", contacts[math.random(#contacts)])
  return wrk.format("GET", target, { ["Authorization"] = "Bearer " .. token })
end
