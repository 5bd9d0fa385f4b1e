-- wrk script for .ci/bench/soak.py: a mixed load of reads, votes, answers
-- and logins; counts 5xx answers. soak.py writes the sessions file.
local sessions = dofile(os.getenv("NC_SESSIONS"))
local questions = tonumber(os.getenv("NC_QUESTIONS"))
local password = os.getenv("NC_PASSWORD")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919)
  server_errors = 0
  kinds = { read = 0, vote = 0, answer = 0, login = 0 }
end

local pages = { "/", "/questions", "/questions?sort=votes", "/tags", "/leaderboard", "/reviews" }

local function form(path, session, body)
  return wrk.format("POST", path, {
    ["Cookie"] = session.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, "csrf_token=" .. session.token .. "&" .. body)
end

function request()
  local r = math.random(100)
  local s = sessions[math.random(#sessions)]
  local q = math.random(1, questions)
  if r <= 70 then
    kinds.read = kinds.read + 1
    if r <= 40 then
      return wrk.format("GET", "/questions/" .. q)
    end
    return wrk.format("GET", pages[math.random(#pages)])
  elseif r <= 88 then
    kinds.vote = kinds.vote + 1
    return form("/questions/" .. q .. "/vote", s, "direction=up")
  elseif r <= 97 then
    kinds.answer = kinds.answer + 1
    return form("/questions/" .. q .. "/answers", s,
      "body=An+answer+written+by+the+soak+test+" .. math.random(1000000) .. "+with+enough+words.")
  else
    kinds.login = kinds.login + 1
    return wrk.format("POST", "/login", {
      ["Cookie"] = s.anon_cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "csrf_token=" .. s.anon_token .. "&login=" .. s.name .. "&password=" .. password)
  end
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local errors, mix = 0, { read = 0, vote = 0, answer = 0, login = 0 }
  for _, t in ipairs(threads) do
    errors = errors + t:get("server_errors")
    local k = t:get("kinds")
    for name, n in pairs(k) do mix[name] = mix[name] + n end
  end
  io.write(string.format(
    "SOAK requests=%d server_errors=%d socket_errors=%d timeouts=%d p50_ms=%.1f p99_ms=%.1f " ..
    "reads=%d votes=%d answers=%d logins=%d\n",
    summary.requests, errors,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    mix.read, mix.vote, mix.answer, mix.login))
end
