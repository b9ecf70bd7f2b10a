// Package live deploys a real, short-lived stack and checks it over HTTPS.
// Its test is behind the `live` build tag (it needs an AWS sandbox account,
// a public hosted zone and a Pulumi backend); see live_test.go and the
// docs/reviews-and-deployments.md, "The live test".
package live
