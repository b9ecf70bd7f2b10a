package cost

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// title is what the estimate is of.
func (e *Estimate) title(code func(string) string) string {
	if e.Title != "" {
		return e.Title
	}
	return "stack " + code(e.Stack)
}

// total renders the total, a range under autoscaling.
func (e *Estimate) total() string {
	if e.MaxTotal != e.Total {
		return money(e.Total) + " (up to " + money(e.MaxTotal) + " with autoscaled services at maxCapacity)"
	}
	return money(e.Total)
}

// basis says which prices were used, and when they fall back.
func (e *Estimate) basis() string {
	s := "Prices: " + e.PricedAs + " list prices as of " + e.PriceDate
	if e.Fallback() {
		s += " (the fallback: the price table has no prices for " + orNone(e.Region) + ")"
	}
	return s + ", in USD, 730 hours a month, before tax, free tier credits and discounts"
}

// Text renders the estimate for a terminal.
func (e *Estimate) Text() string {
	var b strings.Builder
	plain := strings.NewReplacer("`", "").Replace
	fmt.Fprintf(&b, "Estimated monthly cost of %s: %s\n", e.title(func(s string) string { return s }), e.total())
	fmt.Fprintf(&b, "%s.\n\n", e.basis())
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "item\tquantity\tunit price\tmonthly\thow")
	for _, it := range e.Items {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", plain(it.Item), quantity(it), unitPrice(it), monthly(it), plain(it.Assumption))
	}
	fmt.Fprintf(w, "Total\t\t\t%s\t\n", e.total())
	_ = w.Flush()
	section := func(head string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s:\n", head)
		for _, l := range lines {
			fmt.Fprintf(&b, "  - %s\n", plain(l))
		}
	}
	section("Notes", e.Notes)
	section("Assumptions", Assumptions())
	section("Not estimated", NotEstimated())
	return b.String()
}

// Markdown renders the estimate for a pull request comment or job summary.
func (e *Estimate) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Estimated monthly cost of %s: %s\n\n", e.title(func(s string) string { return "`" + s + "`" }), e.total())
	fmt.Fprintf(&b, "%s.\n\n", e.basis())
	if len(e.Items) == 0 {
		b.WriteString("Nothing in it is priced.\n")
	} else {
		b.WriteString("| item | quantity | unit price | monthly | how |\n|---|--:|--:|--:|---|\n")
		for _, it := range e.Items {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(it.Item), quantity(it), unitPrice(it), monthly(it), cell(it.Assumption))
		}
		fmt.Fprintf(&b, "| **Total** | | | **%s** | |\n", e.total())
	}
	section := func(head string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n**%s**\n\n", head)
		for _, l := range lines {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	section("Notes", e.Notes)
	section("Assumptions", Assumptions())
	section("Not estimated", NotEstimated())
	return b.String()
}

func quantity(it Item) string {
	if it.MaxQuantity != it.Quantity {
		return num(it.Quantity) + "–" + num(it.MaxQuantity) + " " + it.Unit
	}
	return num(it.Quantity) + " " + it.Unit
}

func unitPrice(it Item) string {
	p := strconv.FormatFloat(it.UnitPrice, 'f', -1, 64)
	if it.UnitPrice >= 1 {
		p = strconv.FormatFloat(it.UnitPrice, 'f', 2, 64)
	}
	return "$" + p + "/" + it.Unit
}

func monthly(it Item) string {
	if it.Ranged() {
		return money(it.Monthly) + "–" + money(it.MaxMonthly)
	}
	return money(it.Monthly)
}

// money renders USD to the cent: $1,234.56.
func money(x float64) string {
	c := math.Round(x * 100)
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s$%s.%02d", sign, thousands(int64(c)/100), int64(c)%100)
}

// delta renders new-old to the cent with its sign: +$1.23, -$1.23, +$0.00.
func delta(old, new float64) string {
	d := math.Round(new*100) - math.Round(old*100)
	if d < 0 {
		return money(d / 100)
	}
	return "+" + money(d/100)
}

// num renders a quantity to at most three decimals: 1,460, 182.5, 0.25.
func num(x float64) string {
	whole, frac, _ := strings.Cut(strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64), ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	if frac != "" {
		frac = "." + frac
	}
	return thousands(n) + frac
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

func cell(s string) string { return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s) }

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
