-- wrk script for scripts/bench-sandbox.sh: GET merchant-registry/v1/ping
-- with the API key and, per request, the next token of TOKENS (one per
-- line). With one token the same token repeats; with none, no credentials
-- are sent (the refused-request rate). Reports whether tokens ran out.
--   wrk -s ping.lua URL -- TOKENS API_KEY
local tokens, api_key = {}, nil
local i, wrapped = 0, 0

function init(args)
  if args[1] and args[1] ~= "" then
    for line in io.lines(args[1]) do
      tokens[#tokens + 1] = line
    end
  end
  api_key = args[2]
end

function request()
  local headers = {}
  if #tokens > 0 then
    i = i + 1
    if i > #tokens then
      i, wrapped = 1, wrapped + 1
    end
    headers["x-api-key"] = api_key
    headers["x-gw-signature"] = tokens[i]
  end
  return wrk.format("GET", "/merchant-registry/v1/ping", headers)
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
