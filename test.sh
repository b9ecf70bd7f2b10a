#!/usr/bin/env bash
# The project's test command: build, vet, and run every test.
#  - the Pulumi program (root module): tests under Pulumi mocks
#  - app/ (its own module): albauth, the service, and the browser test
#    (needs chromium: apt-get install chromium; without it that one test skips,
#    except in CI, where it fails)
#  - the pre sign-up trigger (infra/identity/presignup.py): its own Python tests
# Extra arguments go to both `go test` runs, e.g. ./test.sh -count=1
set -euo pipefail
cd "$(dirname "$0")"
go build ./...
go vet ./...
go test "$@" ./...
PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s infra/identity -p '*_test.py'
cd app
go build ./...
go vet ./...
go test -race "$@" ./... # the key cache and its shared fetch are concurrent
