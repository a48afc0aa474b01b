-- wrk script for bench/ingest: every request is a notification for a fresh recipient; with "key", each also
-- carries a fresh Idempotency-Key. Prints one JSON line with the run's figures when wrk is done.
-- Usage: wrk -t1 -cN -dS -s bench/ingest-load.lua <url> -- <path> <token or -> <key|no-key>
local threads = {}

function setup(thread)
  thread:set("number", #threads + 1)
  table.insert(threads, thread)
end

local path, headers, keyed, prefix
local counter = 0

function init(args)
  path = args[1]
  keyed = args[3] == "key"
  headers = { ["Content-Type"] = "application/json" }
  if args[2] ~= "-" then
    headers["Authorization"] = "Bearer " .. args[2]
  end
  math.randomseed(os.time() * 1000 + number)
  prefix = string.format("%08x-%04x", math.random(0, 0x7fffffff), number)
end

local function unique()
  counter = counter + 1
  return string.format("%s-4%03x-8%03x-%012x", prefix, math.random(0, 0xfff), math.random(0, 0xfff), counter)
end

function request()
  local id = unique()
  if keyed then
    headers["Idempotency-Key"] = id
  end
  local body = '{"userId":"bench-' .. id .. '","templateId":"welcome","data":{"name":"Ana","product":"Herald",'
    .. '"order":{"number":"A-17","items":[{"title":"Book"}]}},"channels":["email","push"],"priority":"normal",'
    .. '"metadata":{"campaign":"bench"}}'
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"micros":%d,"non2xx":%d,"errors":%d,"timeouts":%d,'
      .. '"p50":%.3f,"p90":%.3f,"p99":%.3f,"max":%.3f}\n',
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write,
    errors.timeout, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
