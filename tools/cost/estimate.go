// Package cost estimates what a synthesized stack costs a month: line items
// read from the resources it registers (a snapshot), priced from one dated
// table of list prices (prices.go), with the usage it cannot know stated as
// assumptions. It needs no engine, account or price API, so a pull request's
// synth diff can say what a change costs.
package cost

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/example/alb-cognito-fargate/tools/catalog"
	"github.com/example/alb-cognito-fargate/tools/snapshot"
)

// Item is one line of an estimate.
type Item struct {
	Item      string  // what is charged
	Quantity  float64 // units a month (autoscaled services at minCapacity)
	Unit      string  // "h", "GB", "vCPU-h", ...
	UnitPrice float64 // USD per unit
	Monthly   float64 // Quantity × UnitPrice, USD
	// MaxQuantity and MaxMonthly are the same with every autoscaled service
	// at its maxCapacity; equal to Quantity and Monthly otherwise.
	MaxQuantity, MaxMonthly float64
	Assumption              string // how the quantity was arrived at
}

// Ranged reports whether autoscaling makes the item a range.
func (it Item) Ranged() bool { return it.MaxMonthly != it.Monthly }

// Estimate is a stack's estimated monthly cost.
type Estimate struct {
	Stack  string // the stack's name
	Title  string // what is estimated, when not a stack (the seed layout)
	Region string // the stack's region (aws:region)
	// PricedAs is the region whose prices were used: Region, or
	// FallbackRegion when the table has no prices for Region.
	PricedAs  string
	PriceDate string
	Items     []Item
	// Total is the sum of the items; MaxTotal the same with autoscaled
	// services at maxCapacity.
	Total, MaxTotal float64
	// Notes say what this stack's estimate adds to the standing assumptions
	// (NotEstimated and Assumptions): resources not priced, regions priced
	// by the fallback, Spot, federation.
	Notes []string
}

// Fallback reports whether the stack's region was priced with FallbackRegion's prices.
func (e *Estimate) Fallback() bool { return e.PricedAs != e.Region }

// Resource types the estimate reads (each type's catalog entry says
// whether it costs anything, and which line items price it).
var (
	tNat           = catalog.NatGateway.Token
	tEip           = catalog.Eip.Token
	tLb            = catalog.LoadBalancer.Token
	tTaskDef       = catalog.TaskDefinition.Token
	tService       = catalog.Service.Token
	tTarget        = catalog.ScalingTarget.Token
	tPolicy        = catalog.ScalingPolicy.Token
	tLogGroup      = catalog.LogGroup.Token
	tUserPool      = catalog.UserPool.Token
	tIdp           = catalog.IdentityProvider.Token
	tWebACL        = catalog.WebACL.Token
	tBucket        = catalog.Bucket.Token
	tEcrRepository = catalog.Repository.Token
	tKmsKey        = catalog.Key.Token
)

// EstimateOf prices a synthesis with the table's prices for its region.
func EstimateOf(r *snapshot.Stack) *Estimate {
	e := newEstimator(r)
	e.natGateways()
	e.loadBalancers()
	svcs := e.services()
	e.publicIPv4(svcs)
	e.logs(svcs)
	e.alarms()
	e.userPools()
	e.webACLs()
	e.buckets()
	e.secrets()
	e.repositories()
	e.kmsKeys()
	e.unpriced()
	return e.done()
}

// estimator builds one Estimate.
type estimator struct {
	r        *snapshot.Stack
	est      *Estimate
	regionOf map[string]string // explicit provider URN -> its region
	fellBack map[string]bool   // regions priced with FallbackRegion's prices
}

func newEstimator(r *snapshot.Stack) *estimator {
	if r == nil {
		r = &snapshot.Stack{}
	}
	_, as := PricesFor(r.Region)
	e := &estimator{
		r:        r,
		est:      &Estimate{Stack: r.Name, Region: r.Region, PricedAs: as, PriceDate: PriceDate},
		regionOf: map[string]string{},
		fellBack: map[string]bool{},
	}
	for _, p := range r.Resources {
		if p.Type == "pulumi:providers:aws" {
			if region, ok := p.Inputs["region"].(string); ok && region != "" {
				e.regionOf[p.URN] = region
			}
		}
	}
	return e
}

func (e *estimator) done() *Estimate {
	for region := range e.fellBack {
		if region == e.r.Region {
			continue // the estimate's price basis says so
		}
		e.note("The price table has no prices for %s: %s's list prices are used there.", orNone(region), FallbackRegion)
	}
	for _, it := range e.est.Items {
		e.est.Total += it.Monthly
		e.est.MaxTotal += it.MaxMonthly
	}
	sort.Strings(e.est.Notes)
	return e.est
}

func orNone(region string) string {
	if region == "" {
		return "a stack without a region"
	}
	return region
}

// region is where a resource is: its explicit provider's region, else the stack's.
func (e *estimator) region(r snapshot.Resource) string {
	if region, ok := e.regionOf[r.Provider]; ok {
		return region
	}
	return e.r.Region
}

// prices returns the prices for a region, remembering a fallback.
func (e *estimator) prices(region string) Prices {
	p, as := PricesFor(region)
	if as != region {
		e.fellBack[region] = true
	}
	return p
}

// label names an item, with its region when that is not the stack's.
func (e *estimator) label(item, region string) string {
	if region != e.r.Region {
		return item + " (" + region + ")"
	}
	return item
}

func (e *estimator) note(format string, args ...any) {
	e.est.Notes = append(e.est.Notes, fmt.Sprintf(format, args...))
}

// add appends an item costing the same at minimum and maximum capacity.
func (e *estimator) add(item string, qty float64, unit string, price float64, assumption string) {
	e.addRange(item, qty, qty, unit, price, assumption)
}

// addRange appends an item whose quantity depends on autoscaling.
func (e *estimator) addRange(item string, qty, maxQty float64, unit string, price float64, assumption string) {
	e.est.Items = append(e.est.Items, Item{
		Item: item, Quantity: qty, Unit: unit, UnitPrice: price, Monthly: qty * price,
		MaxQuantity: maxQty, MaxMonthly: maxQty * price, Assumption: assumption,
	})
}

// group is resources of one kind in one region.
type group struct {
	region string
	rs     []snapshot.Resource
}

// byRegion groups the resources of the given types by region, the stack's first.
func (e *estimator) byRegion(types ...string) []group {
	idx := map[string]int{}
	var out []group
	for _, r := range e.r.Resources {
		if !slices.Contains(types, r.Type) {
			continue
		}
		region := e.region(r)
		i, ok := idx[region]
		if !ok {
			i = len(out)
			idx[region] = i
			out = append(out, group{region: region})
		}
		out[i].rs = append(out[i].rs, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].region == e.r.Region && out[j].region != e.r.Region })
	return out
}

func (e *estimator) natGateways() {
	for _, g := range e.byRegion(tNat) {
		p := e.prices(g.region)
		n := float64(len(g.rs))
		e.add(e.label("NAT gateway hours", g.region), n*HoursPerMonth, "h", p.NatHour,
			plural(len(g.rs), "gateway", "gateways")+" × 730 h")
		e.add(e.label("NAT gateway data processed", g.region), n*NatDataGb, "GB", p.NatGb,
			plural(len(g.rs), "gateway", "gateways")+" × "+num(NatDataGb)+" GB (assumed)")
	}
}

func (e *estimator) loadBalancers() {
	for _, g := range e.byRegion(tLb) {
		p := e.prices(g.region)
		for _, lb := range g.rs {
			if t, _ := lb.Inputs["loadBalancerType"].(string); t != "" && t != "application" {
				e.note("Load balancer `%s` is a %s load balancer: not estimated (the table prices Application Load Balancers).", lb.Name, t)
				continue
			}
			e.add(e.label(fmt.Sprintf("Load balancer `%s` hours", lb.Name), g.region), HoursPerMonth, "h", p.AlbHour, "730 h")
			e.add(e.label(fmt.Sprintf("Load balancer `%s` LCUs", lb.Name), g.region), AlbLcus*HoursPerMonth, "LCU-h", p.AlbLcuHour,
				num(AlbLcus)+" LCU × 730 h (assumed)")
		}
	}
}

// albPublicIPv4 is how many public IPv4 addresses a load balancer uses: one
// per subnet (zone) when internet-facing over IPv4.
func albPublicIPv4(lb snapshot.Resource) int {
	if t, _ := lb.Inputs["loadBalancerType"].(string); t != "" && t != "application" {
		return 0
	}
	if internal, _ := lb.Inputs["internal"].(bool); internal {
		return 0
	}
	if t, _ := lb.Inputs["ipAddressType"].(string); t == "dualstack-without-public-ipv4" {
		return 0
	}
	if l, ok := lb.Inputs["subnets"].([]any); ok && len(l) > 0 {
		return len(l)
	}
	if l, ok := lb.Inputs["subnetMappings"].([]any); ok && len(l) > 0 {
		return len(l)
	}
	return 2 // subnets not known until deployment: an ALB spans at least two zones
}

// service is one ECS service's Fargate tasks, as priced.
type service struct {
	res             snapshot.Resource
	region          string
	tasks, maxTasks float64 // at minCapacity (or desiredCount) and at maxCapacity
	publicIP        bool    // each task gets a public IPv4 address
	strategies      []strategy
	vcpu, gb        float64 // each task's size
}

// strategy is one entry of a capacity provider strategy.
type strategy struct {
	provider     string
	base, weight float64
}

// split places n tasks by the service's capacity provider strategy: base
// tasks first, on the providers that have them, then the rest by weight.
// It returns the tasks on FARGATE, on FARGATE_SPOT and on other providers.
func split(n float64, ss []strategy) (onDemand, spot, other float64) {
	if len(ss) == 0 {
		return n, 0, 0
	}
	place := func(provider string, k float64) {
		switch provider {
		case "FARGATE":
			onDemand += k
		case "FARGATE_SPOT":
			spot += k
		default:
			other += k
		}
	}
	left := n
	for _, s := range ss {
		b := min(s.base, left)
		if b > 0 {
			place(s.provider, b)
			left -= b
		}
	}
	total := 0.0
	for _, s := range ss {
		total += s.weight
	}
	if total <= 0 {
		// AWS requires a positive weight; without one, the rest is
		// placed on the first provider.
		place(ss[0].provider, left)
		return
	}
	for _, s := range ss {
		place(s.provider, left*s.weight/total)
	}
	return
}

func (e *estimator) services() []service {
	taskDefs := e.r.ByType(tTaskDef)
	svcRes := e.r.ByType(tService)
	scaling := e.scalingTargets(svcRes)
	var out []service
	for _, sr := range svcRes {
		s := service{res: sr, region: e.region(sr)}
		s.tasks, _ = number(sr.Inputs["desiredCount"])
		s.maxTasks = s.tasks
		if mm, ok := scaling[sr.URN]; ok {
			s.tasks, s.maxTasks = mm[0], mm[1]
		}
		if nc, ok := sr.Inputs["networkConfiguration"].(map[string]any); ok {
			s.publicIP, _ = nc["assignPublicIp"].(bool)
		}
		launch, _ := sr.Inputs["launchType"].(string)
		for _, x := range list(sr.Inputs["capacityProviderStrategies"]) {
			m, _ := x.(map[string]any)
			st := strategy{}
			st.provider, _ = m["capacityProvider"].(string)
			st.base, _ = number(m["base"])
			st.weight, _ = number(m["weight"])
			s.strategies = append(s.strategies, st)
		}
		switch {
		case len(s.strategies) > 0:
		case launch == "FARGATE":
		case launch == "":
			e.note("Service `%s` names neither a launch type nor a capacity provider strategy: priced as Fargate on-demand (the cluster's default strategy decides).", sr.Name)
		default:
			e.note("Service `%s` runs on the %s launch type: its instances are not estimated.", sr.Name, launch)
			continue
		}
		td, ok := linked(sr, taskDefs, func(td snapshot.Resource) bool {
			family, _ := td.Inputs["family"].(string)
			ref, _ := sr.Inputs["taskDefinition"].(string)
			ref = ref[strings.LastIndex(ref, "/")+1:]
			if i := strings.LastIndex(ref, ":"); i >= 0 {
				ref = ref[:i]
			}
			return family != "" && family == ref
		})
		if !ok {
			e.note("Service `%s`: no task definition found to size its tasks; not estimated.", sr.Name)
			continue
		}
		vcpu, okc := vcpus(td.Inputs["cpu"])
		gb, okm := gigabytes(td.Inputs["memory"])
		if !okc || !okm {
			e.note("Service `%s`: its task definition `%s` has no task-level cpu and memory; not estimated.", sr.Name, td.Name)
			continue
		}
		s.vcpu, s.gb = vcpu, gb
		if rp, ok := td.Inputs["runtimePlatform"].(map[string]any); ok {
			if a, _ := rp["cpuArchitecture"].(string); a == "ARM64" {
				e.note("Service `%s` runs on ARM64 (Graviton): priced at the table's x86 prices, about 20%% above ARM's.", sr.Name)
			}
		}
		out = append(out, s)
		e.fargate(s)
	}
	return out
}

// fargate adds a service's vCPU and memory items, on-demand and Spot.
func (e *estimator) fargate(s service) {
	p := e.prices(s.region)
	od, spot, other := split(s.tasks, s.strategies)
	maxOd, maxSpot, maxOther := split(s.maxTasks, s.strategies)
	if other > 0 || maxOther > 0 {
		e.note("Service `%s` places %s on capacity providers other than FARGATE and FARGATE_SPOT: not estimated.", s.res.Name, taskRange(other, maxOther))
	}
	how := func(n, maxN float64, size string) string {
		if s.tasks != s.maxTasks {
			return taskRange(n, maxN) + " (autoscaling min–max) × " + size + " × 730 h"
		}
		return taskRange(n, maxN) + " × " + size + " × 730 h"
	}
	cpu, mem := num(s.vcpu)+" vCPU", num(s.gb)+" GB"
	name := e.label("`"+s.res.Name+"`", s.region)
	if od > 0 || maxOd > 0 {
		e.addRange("Fargate vCPU, service "+name, od*s.vcpu*HoursPerMonth, maxOd*s.vcpu*HoursPerMonth, "vCPU-h", p.FargateVcpuHour, how(od, maxOd, cpu))
		e.addRange("Fargate memory, service "+name, od*s.gb*HoursPerMonth, maxOd*s.gb*HoursPerMonth, "GB-h", p.FargateGbHour, how(od, maxOd, mem))
	}
	if spot > 0 || maxSpot > 0 {
		e.addRange("Fargate Spot vCPU, service "+name, spot*s.vcpu*HoursPerMonth, maxSpot*s.vcpu*HoursPerMonth, "vCPU-h", p.SpotVcpuHour, how(spot, maxSpot, cpu)+"; Spot price varies")
		e.addRange("Fargate Spot memory, service "+name, spot*s.gb*HoursPerMonth, maxSpot*s.gb*HoursPerMonth, "GB-h", p.SpotGbHour, how(spot, maxSpot, mem)+"; Spot price varies")
		e.note("Service `%s` runs tasks on Fargate Spot: its price varies with demand (the table's is roughly 70%% off on-demand), and AWS may stop a Spot task with two minutes' notice.", s.res.Name)
	}
}

// scalingTargets returns, per service URN, the minCapacity and maxCapacity
// of the Application Auto Scaling target that scales it.
func (e *estimator) scalingTargets(svcs []snapshot.Resource) map[string][2]float64 {
	out := map[string][2]float64{}
	for _, t := range e.r.ByType(tTarget) {
		ns, _ := t.Inputs["serviceNamespace"].(string)
		dim, _ := t.Inputs["scalableDimension"].(string)
		if ns != "ecs" && dim != "ecs:service:DesiredCount" {
			continue
		}
		lo, okLo := number(t.Inputs["minCapacity"])
		hi, okHi := number(t.Inputs["maxCapacity"])
		if !okLo || !okHi {
			continue
		}
		svc, ok := linked(t, svcs, func(s snapshot.Resource) bool {
			id, _ := t.Inputs["resourceId"].(string)
			name, _ := s.Inputs["name"].(string)
			return name != "" && strings.HasSuffix(id, "/"+name)
		})
		if !ok {
			e.note("Autoscaling target `%s` scales no service this stack creates: ignored.", t.Name)
			continue
		}
		out[svc.URN] = [2]float64{lo, hi}
	}
	return out
}

// linked finds the candidate a resource refers to: one it depends on (its
// inputs were built from it), else the one match accepts, else the only one.
func linked(from snapshot.Resource, cands []snapshot.Resource, match func(snapshot.Resource) bool) (snapshot.Resource, bool) {
	for _, c := range cands {
		if slices.Contains(from.DependsOn, c.URN) {
			return c, true
		}
	}
	for _, c := range cands {
		if match(c) {
			return c, true
		}
	}
	if len(cands) == 1 {
		return cands[0], true
	}
	return snapshot.Resource{}, false
}

// publicIPv4 adds the public IPv4 addresses: Elastic IPs, an
// internet-facing load balancer's one per subnet, and tasks that get one.
func (e *estimator) publicIPv4(svcs []service) {
	type tally struct {
		fixed, tasks, maxTasks float64
		parts                  []string
	}
	byRegion := map[string]*tally{}
	var order []string
	at := func(region string) *tally {
		if t, ok := byRegion[region]; ok {
			return t
		}
		t := &tally{}
		byRegion[region] = t
		order = append(order, region)
		return t
	}
	for _, g := range e.byRegion(tEip) {
		t := at(g.region)
		t.fixed += float64(len(g.rs))
		t.parts = append(t.parts, plural(len(g.rs), "Elastic IP", "Elastic IPs"))
	}
	for _, g := range e.byRegion(tLb) {
		for _, lb := range g.rs {
			if n := albPublicIPv4(lb); n > 0 {
				t := at(g.region)
				t.fixed += float64(n)
				t.parts = append(t.parts, fmt.Sprintf("%d for `%s` (internet-facing, one per subnet)", n, lb.Name))
			}
		}
	}
	for _, s := range svcs {
		if s.publicIP {
			t := at(s.region)
			t.tasks += s.tasks
			t.maxTasks += s.maxTasks
			t.parts = append(t.parts, fmt.Sprintf("%s of service `%s` (assignPublicIp)", taskRange(s.tasks, s.maxTasks), s.res.Name))
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i] == e.r.Region && order[j] != e.r.Region })
	for _, region := range order {
		t := byRegion[region]
		p := e.prices(region)
		e.addRange(e.label("Public IPv4 addresses", region), (t.fixed+t.tasks)*HoursPerMonth, (t.fixed+t.maxTasks)*HoursPerMonth, "h", p.IPv4Hour,
			strings.Join(t.parts, " + ")+" × 730 h")
	}
}

// logs adds CloudWatch Logs ingestion: container logs by running task,
// flow logs by VPC. Other log groups are named as not estimated.
func (e *estimator) logs(svcs []service) {
	for _, g := range e.byRegion(tLogGroup) {
		p := e.prices(g.region)
		flow := 0
		app := false
		for _, lg := range g.rs {
			switch name := logGroupName(lg); {
			case strings.Contains(name, "flow-logs"):
				flow++
			case strings.Contains(name, "app-logs"):
				app = true
			default:
				e.note("Log group `%s`: what it ingests is unknown; not estimated.", lg.Name)
			}
		}
		if app {
			tasks, maxTasks := 0.0, 0.0
			for _, s := range svcs {
				if s.region == g.region {
					tasks += s.tasks
					maxTasks += s.maxTasks
				}
			}
			e.addRange(e.label("CloudWatch Logs ingestion, container logs", g.region), tasks*ContainerLogGbPerTask, maxTasks*ContainerLogGbPerTask, "GB", p.LogsIngestGb,
				taskRange(tasks, maxTasks)+" × "+num(ContainerLogGbPerTask)+" GB (assumed)")
		}
		if flow > 0 {
			e.add(e.label("CloudWatch Logs ingestion, VPC flow logs", g.region), float64(flow)*FlowLogGbPerVpc, "GB", p.LogsIngestGb,
				plural(flow, "VPC", "VPCs")+" × "+num(FlowLogGbPerVpc)+" GB (assumed)")
		}
	}
}

// logGroupName is a log group's name, or its logical name when auto-named.
func logGroupName(lg snapshot.Resource) string {
	if n, ok := lg.Inputs["name"].(string); ok && n != "" {
		return n
	}
	return lg.Name
}

// alarms adds CloudWatch alarms: two for each target tracking policy (an
// assumption: Application Auto Scaling creates them).
func (e *estimator) alarms() {
	for _, g := range e.byRegion(tPolicy) {
		tracking := 0
		for _, r := range g.rs {
			if r.Inputs["policyType"] == "TargetTrackingScaling" {
				tracking++
			}
		}
		if tracking == 0 {
			continue
		}
		p := e.prices(g.region)
		e.add(e.label("CloudWatch alarms", g.region), float64(tracking*AlarmsPerTargetTracking), "alarm-month", p.AlarmMonth,
			fmt.Sprintf("%s × %d (assumed: one to scale out, one to scale in)", plural(tracking, "target tracking policy", "target tracking policies"), AlarmsPerTargetTracking))
	}
}

func (e *estimator) userPools() {
	pools := e.r.ByType(tUserPool)
	federated := map[string]bool{} // pool URN -> has an identity provider
	for _, idp := range e.r.ByType(tIdp) {
		if pool, ok := linked(idp, pools, func(snapshot.Resource) bool { return false }); ok {
			federated[pool.URN] = true
		}
	}
	for _, g := range e.byRegion(tUserPool) {
		p := e.prices(g.region)
		for _, pool := range g.rs {
			tier, _ := pool.Inputs["userPoolTier"].(string)
			if tier == "" {
				tier = "ESSENTIALS"
			}
			price, ok := p.CognitoMau[tier]
			if !ok {
				e.note("User pool `%s`: the table has no price for the %s tier; not estimated.", pool.Name, tier)
				continue
			}
			billable, how := CognitoMau, num(CognitoMau)+" MAU (assumed), "+tier+": no free tier"
			if tier != "PLUS" {
				billable = max(0, CognitoMau-CognitoFreeMau)
				how = num(CognitoMau) + " MAU (assumed), " + tier + ": the first " + num(CognitoFreeMau) + " free"
			}
			e.add(e.label(fmt.Sprintf("Cognito user pool `%s`, %s tier", pool.Name, tier), g.region), billable, "MAU", price, how)
			if federated[pool.URN] && tier != "PLUS" {
				e.note("User pool `%s` has a SAML or OIDC identity provider: users who sign in through it have only 50 free MAU, not %s.", pool.Name, num(CognitoFreeMau))
			}
		}
	}
}

func (e *estimator) webACLs() {
	for _, g := range e.byRegion(tWebACL) {
		p := e.prices(g.region)
		for _, acl := range g.rs {
			rules := len(list(acl.Inputs["rules"]))
			e.add(e.label(fmt.Sprintf("WAF web ACL `%s`", acl.Name), g.region), 1, "web ACL-month", p.WafWebACLMonth, "1 web ACL")
			e.add(e.label(fmt.Sprintf("WAF web ACL `%s` rules", acl.Name), g.region), float64(rules), "rule-month", p.WafRuleMonth,
				plural(rules, "rule", "rules")+" (a managed rule group counts as one; paid groups such as Bot Control cost extra)")
			e.add(e.label(fmt.Sprintf("WAF web ACL `%s` requests", acl.Name), g.region), WafMillionRequests, "million requests", p.WafMillionRequests,
				num(WafMillionRequests)+" million requests (assumed)")
		}
	}
}

func (e *estimator) buckets() {
	for _, g := range e.byRegion(tBucket) {
		p := e.prices(g.region)
		n := len(g.rs)
		e.add(e.label("S3 Standard storage (access logs)", g.region), float64(n)*AccessLogGb, "GB-month", p.S3GbMonth,
			plural(n, "bucket", "buckets")+" × "+num(AccessLogGb)+" GB (assumed)")
	}
}

// kmsKeys prices the customer managed keys. A key with rotation on costs
// $1 more a month after each of its first two yearly rotations.
func (e *estimator) kmsKeys() {
	for _, g := range e.byRegion(tKmsKey) {
		p := e.prices(g.region)
		n := len(g.rs)
		e.add(e.label("KMS customer managed keys", g.region), float64(n), "key-month", p.KmsKeyMonth,
			plural(n, "key", "keys")+" (rotated yearly: $1 more a month after each of the first two rotations)")
	}
}

// secrets adds the Secrets Manager secrets the task definitions read (each
// secret once, however many containers and JSON keys read it).
func (e *estimator) secrets() {
	arns := map[string]map[string]bool{} // region -> secret ARNs
	for _, td := range e.r.ByType(tTaskDef) {
		defs, ok := containerDefinitions(td.Inputs["containerDefinitions"])
		if !ok {
			if td.Inputs["containerDefinitions"] != nil {
				e.note("Task definition `%s`: its container definitions are not known before deployment; the secrets they read are not counted.", td.Name)
			}
			continue
		}
		for _, c := range defs {
			for _, s := range list(c["secrets"]) {
				m, _ := s.(map[string]any)
				from, _ := m["valueFrom"].(string)
				arn, ok := secretArn(from)
				if !ok {
					continue // an SSM parameter: free (standard tier)
				}
				region := e.region(td)
				if f := strings.Split(arn, ":"); len(f) > 3 && f[3] != "" {
					region = f[3]
				}
				if arns[region] == nil {
					arns[region] = map[string]bool{}
				}
				arns[region][arn] = true
			}
		}
	}
	for _, region := range slices.Sorted(maps.Keys(arns)) {
		n := len(arns[region])
		p := e.prices(region)
		e.add(e.label("Secrets Manager secrets", region), float64(n), "secret-month", p.SecretMonth, plural(n, "secret", "secrets")+" the tasks read")
	}
}

// secretArn returns the secret a Secrets Manager valueFrom reads: the ARN
// without a ":<json-key>:<version-stage>:<version-id>" suffix.
func secretArn(valueFrom string) (string, bool) {
	f := strings.Split(valueFrom, ":")
	if len(f) < 7 || f[0] != "arn" || f[2] != "secretsmanager" {
		return "", false
	}
	return strings.Join(f[:7], ":"), true
}

// containerDefinitions decodes a task definition's container definitions
// (a JSON document in a string).
func containerDefinitions(v any) ([]map[string]any, bool) {
	var raw []any
	switch t := v.(type) {
	case string:
		if json.Unmarshal([]byte(t), &raw) != nil {
			return nil, false
		}
	case []any:
		raw = t
	default:
		return nil, false
	}
	var out []map[string]any
	for _, c := range raw {
		if m, ok := c.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out, true
}

func (e *estimator) repositories() {
	for _, g := range e.byRegion(tEcrRepository) {
		p := e.prices(g.region)
		n := len(g.rs)
		e.add(e.label("ECR image storage", g.region), float64(n)*EcrImageGb, "GB-month", p.EcrGbMonth,
			plural(n, "repository", "repositories")+" × "+num(EcrImageGb)+" GB (assumed)")
	}
}

// unpriced names the resource types the estimate cannot price: those
// without a catalog entry (a new kind of resource is never silently $0).
func (e *estimator) unpriced() {
	count := map[string]int{}
	for _, r := range e.r.Resources {
		if _, known := catalog.Lookup(r.Type); known || !r.Custom {
			continue
		}
		count[r.Type]++
	}
	for _, t := range slices.Sorted(maps.Keys(count)) {
		e.note("Not estimated: %d × `%s` (the catalog has no entry for it).", count[t], t)
	}
}

// vcpus reads a task's cpu: CPU units ("256" = 0.25 vCPU) or "1 vCPU".
func vcpus(v any) (float64, bool) {
	if s, ok := v.(string); ok {
		if t := strings.TrimSpace(strings.ToLower(s)); strings.HasSuffix(t, "vcpu") {
			f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, "vcpu")), 64)
			return f, err == nil && f > 0
		}
	}
	f, ok := number(v)
	return f / 1024, ok && f > 0
}

// gigabytes reads a task's memory: MiB ("512" = 0.5 GB) or "2 GB".
func gigabytes(v any) (float64, bool) {
	if s, ok := v.(string); ok {
		if t := strings.TrimSpace(strings.ToLower(s)); strings.HasSuffix(t, "gb") {
			f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, "gb")), 64)
			return f, err == nil && f > 0
		}
	}
	f, ok := number(v)
	return f / 1024, ok && f > 0
}

// number reads a synthesized number (float64), or one written as a Go int or a string.
func number(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case int:
		return float64(t), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		return f, err == nil
	}
	return 0, false
}

func list(v any) []any { l, _ := v.([]any); return l }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// taskRange says how many tasks: "3 tasks", or "2–6 tasks" under autoscaling.
func taskRange(n, maxN float64) string {
	if n == maxN {
		if n == 1 {
			return "1 task"
		}
		return num(n) + " tasks"
	}
	return num(n) + "–" + num(maxN) + " tasks"
}

// Item returns the only item whose name starts with prefix, or an error
// that lists the items.
func (e *Estimate) Item(prefix string) (Item, error) {
	var found []Item
	for _, it := range e.Items {
		if strings.HasPrefix(it.Item, prefix) {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		return Item{}, fmt.Errorf("want one item %q, got %d in:\n%s", prefix, len(found), e.Text())
	}
	return found[0], nil
}
