-- wrk script: signed-in voters POST votes on random questions (JSON path).
-- .ci/bench/votes.py signs the voters in and writes their sessions to
-- NC_SESSIONS; every request takes the next voter of its thread's share.
local sessions = dofile(os.getenv("NC_SESSIONS"))
local questions = tonumber(os.getenv("NC_QUESTIONS"))
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  refused, failed = 0, 0
  -- threads take turns through the voters: thread k of n uses k, k+n, …
  step = tonumber(os.getenv("NC_THREADS"))
  turn = id - 1
  math.randomseed(id * 7919)
end

function request()
  local s = sessions[(turn % #sessions) + 1]
  turn = turn + step
  local cookie, token = s.cookie, s.token
  local q = math.random(1, questions)
  local body = "csrf_token=" .. token .. "&direction=up"
  return wrk.format("POST", "/questions/" .. q .. "/vote", {
    ["Cookie"] = cookie,
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

-- a vote on one's own post is refused (403): a rule, not a failure
function response(status, headers, body)
  if status >= 500 then
    failed = failed + 1
  elseif status >= 400 then
    refused = refused + 1
  end
end

done = function(summary, latency, requests)
  local no, broken = 0, 0
  for _, t in ipairs(threads) do
    no = no + t:get("refused")
    broken = broken + t:get("failed")
  end
  io.write(string.format("requests %d, refused %d, failed %d, p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, no, broken, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
