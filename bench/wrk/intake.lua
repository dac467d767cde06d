-- POST a web-form lead to the intake endpoint with an API key (scope `intake`). Every
-- submission has a new email, so each creates a lead (scored, with its `lead.created` event)
-- rather than attaching to an earlier one.
local key = os.getenv("KARIZ_API_KEY")
local threads = 0
local sent = 0

setup = function(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

init = function(args)
  math.randomseed(math.floor(os.clock() * 1e9) % 2147483647)
  -- A random run prefix, so that repeated runs on one database do not collide.
  run = math.random(1, 2147483646)
end

request = function()
  sent = sent + 1
  local n = string.format("%d-%d-%d", run, thread_id, sent)
  local body = '{"name":"Load ' .. n .. '","email":"load-' .. n .. '@bench.test","company":"Bench Co",'
    .. '"job_title":"CEO","source":"website"}'
  return wrk.format("POST", "/api/v1/intake/leads", {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json",
  }, body)
end

-- KARIZ_DELAY_MS: a steady offered rate instead of saturation (bench/wrk/pace.lua).
dofile("bench/wrk/pace.lua")
