#!/usr/bin/env bash
# grpc.health.v1.Health/Check (service "") over h2c; exit 0 only when the answer is SERVING.
# HAProxy's external-check calls it with: proxy_address proxy_port server_address server_port.
# The request is an empty HealthCheckRequest in a gRPC frame (5 zero bytes); a SERVING answer is
# the frame 00 00000002 0801 (field 1 = 1). Anything else (NOT_SERVING 0802, an error with no
# body, a refused or timed-out connection) fails the check.
set -uo pipefail
reply="$(printf '\0\0\0\0\0' | curl -s --http2-prior-knowledge --max-time 1 -X POST \
    -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- \
    "http://$3:$4/grpc.health.v1.Health/Check" | od -An -tx1 | tr -d ' \n')"
[[ $reply == 00000000020801 ]]
