package cost

import (
	"fmt"

	"github.com/example/alb-cognito-fargate/infra/synth"
)

// Command is the estimate's part of the synth command (a synth.CostEstimate):
// `synth -cost` prints Markdown, `synth -diff` heads its Markdown with Change.
type Command struct{}

var _ synth.CostEstimate = Command{}

// Markdown renders the estimate of a synthesis.
func (Command) Markdown(r *synth.Result) string { return EstimateOf(r).Markdown() }

// Change says how the estimated monthly cost changes from old to new.
func (Command) Change(old, new *synth.Result) string { return Change(EstimateOf(old), EstimateOf(new)) }

// Change is one line: "Estimated monthly cost: $X → $Y (+$Z)", with the
// range at maxCapacity when either side autoscales.
func Change(old, new *Estimate) string {
	s := fmt.Sprintf("Estimated monthly cost: %s → %s (%s)", money(old.Total), money(new.Total), delta(old.Total, new.Total))
	if old.MaxTotal != old.Total || new.MaxTotal != new.Total {
		s += fmt.Sprintf("; with autoscaled services at maxCapacity: %s → %s (%s)", money(old.MaxTotal), money(new.MaxTotal), delta(old.MaxTotal, new.MaxTotal))
	}
	if new.Fallback() {
		s += fmt.Sprintf("; at %s list prices (the table has none for %s)", new.PricedAs, orNone(new.Region))
	}
	return s
}
