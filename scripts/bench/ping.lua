-- wrk script for scripts/bench-sandbox.sh: GET merchant-registry/v1/ping
-- with the API key and, per request, the next token of TOKENS (one per
-- line). With one token the same token repeats; with none, no credentials
-- are sent (the refused-request rate). Reports whether tokens ran out.
-- Requests are formatted once, in init, so that the load generator's own
-- work per request is the same small step in every run.
--   wrk -s ping.lua URL -- TOKENS API_KEY
local requests = {}
local i, wrapped = 0, 0

function init(args)
  local api_key = args[2]
  if args[1] and args[1] ~= "" then
    for line in io.lines(args[1]) do
      requests[#requests + 1] = wrk.format("GET", "/merchant-registry/v1/ping",
        { ["x-api-key"] = api_key, ["x-gw-signature"] = line })
    end
  else
    requests[1] = wrk.format("GET", "/merchant-registry/v1/ping", {})
  end
end

function request()
  i = i + 1
  if i > #requests then
    i = 1
    if #requests > 1 then
      wrapped = wrapped + 1
    end
  end
  return requests[i]
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local reused = 0
  for _, thread in ipairs(threads) do
    reused = reused + (thread:get("wrapped") or 0)
  end
  io.write(string.format("KEYPORT requests=%d seconds=%.3f non2xx=%d errors=%d wrapped=%d\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, reused))
end
