// Command server is the service the stack deploys when builtInApp is on: it
// shows the signed-in user (verified from x-amzn-oidc-data) and signs out of
// both the ALB and Cognito. Configured from the environment; see server.Config.
package main

import (
	"os"

	"github.com/example/alb-cognito-fargate/app/server"
)

func main() {
	os.Exit(server.Main())
}
