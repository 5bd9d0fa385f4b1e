-- wrk script: signed-in voters POST votes on random questions (JSON path).
-- .ci/bench/votes.py signs the voters in and writes their sessions to
-- NC_SESSIONS; every request takes the next voter of its thread's share.
local sessions = dofile(os.getenv("NC_SESSIONS"))
local questions = tonumber(os.getenv("NC_QUESTIONS"))
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  turn = id - 1
  math.randomseed(id * 7919)
end

function request()
  local s = sessions[(turn % #sessions) + 1]
  turn = turn + 2
  local cookie, token = s.cookie, s.token
  local q = math.random(1, questions)
  local body = "csrf_token=" .. token .. "&direction=up"
  return wrk.format("POST", "/questions/" .. q .. "/vote", {
    ["Cookie"] = cookie,
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors (non-2xx/3xx) %d, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
