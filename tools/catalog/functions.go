package catalog

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/example/alb-cognito-fargate/infra/regions"
)

// Function is a provider function (a data source) the program calls: what
// the recording mock answers.
type Function struct {
	Token string
	// Actions are what the deploying principal needs to call it.
	Actions []string
	// Mock answers a call.
	Mock func(c Call) map[string]any
}

// Call is one call of a provider function.
type Call struct {
	Region string
	Args   map[string]any
	// Provider is what the calling provider is configured with: an explicit
	// provider's inputs, or the stack's aws: settings for the default one.
	Provider map[string]any
}

var functions = map[string]*Function{}

func function(f Function) *Function {
	functions[f.Token] = &f
	return &f
}

// Functions returns every provider function's entry, sorted by token.
func Functions() []*Function {
	out := make([]*Function, 0, len(functions))
	for _, f := range functions {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *Function) int { return strings.Compare(a.Token, b.Token) })
	return out
}

// LookupFunction returns the entry of a provider function's token.
func LookupFunction(token string) (*Function, bool) {
	f, ok := functions[token]
	return f, ok
}

// GetAvailabilityZones lists the region's zones, minus the excluded ones.
var GetAvailabilityZones = function(Function{
	Token:   "aws:index/getAvailabilityZones:getAvailabilityZones",
	Actions: []string{"ec2:DescribeAvailabilityZones"},
	Mock: func(c Call) map[string]any {
		region, args := c.Region, c.Args
		names, ids := zoneNames(region)
		excluded := map[string]bool{}
		for _, key := range []string{"excludeNames", "excludeZoneIds"} {
			for _, e := range strs(args[key]) {
				excluded[e] = true
			}
		}
		keptNames, keptIDs := []any{}, []any{}
		for i := range names {
			if !excluded[names[i]] && !excluded[ids[i]] {
				keptNames, keptIDs = append(keptNames, names[i]), append(keptIDs, ids[i])
			}
		}
		return map[string]any{"id": region, "names": keptNames, "zoneIds": keptIDs, "groupNames": []any{region}}
	},
})

// GetCallerIdentity is the deploying principal and its account: the account
// of the role the provider assumes, if it assumes one.
var GetCallerIdentity = function(Function{
	Token: "aws:index/getCallerIdentity:getCallerIdentity",
	// GetCallerIdentity cannot be denied; listed so the policy says what
	// the program calls.
	Actions: []string{"sts:GetCallerIdentity"},
	Mock: func(c Call) map[string]any {
		account, arn := Account, "arn:aws:iam::"+Account+":user/deployer"
		for _, key := range []string{"assumeRole", "assumeRoleWithWebIdentity"} {
			role, _ := object(c.Provider[key])["roleArn"].(string)
			if f := strings.Split(role, ":"); len(f) > 4 && f[4] != "" {
				account, arn = f[4], "arn:aws:sts::"+f[4]+":assumed-role/"+strings.TrimPrefix(f[5], "role/")+"/pulumi"
			}
		}
		return map[string]any{"id": account, "accountId": account, "arn": arn, "userId": "AROAEXAMPLE:pulumi"}
	},
})

// object reads a configuration object, which arrives as an object or as
// JSON text.
func object(v any) map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return t
	case string:
		var m map[string]any
		if json.Unmarshal([]byte(t), &m) == nil {
			return m
		}
	}
	return nil
}

// GetZone looks up the public hosted zone.
var GetZone = function(Function{
	Token: "aws:route53/getZone:getZone",
	// By name: ListHostedZones pages through the account's zones.
	Actions: []string{"route53:GetHostedZone", "route53:ListHostedZones", "route53:ListResourceRecordSets", "route53:ListTagsForResource"},
	Mock: func(c Call) map[string]any {
		name, _ := c.Args["name"].(string)
		name = strings.TrimSuffix(name, ".")
		zone := "Z0" + strings.ToUpper(HexOf("zone/"+name, 18))
		return map[string]any{"id": zone, "zoneId": zone, "name": name, "privateZone": false}
	},
})

// zoneNames returns plausible Availability Zone names and ids for a region
// (<region>a, b, ...; <short>-az1, ...): as many as the stack can use there
// plus the ones Fargate skips. Real accounts map names to ids differently.
func zoneNames(name string) (names, ids []string) {
	r, ok := regions.Lookup(name)
	n := r.Zones + len(r.FargateExcludedZoneIDs)
	if !ok {
		n = 3
	}
	short := shortName(name)
	for i := 0; i < n; i++ {
		names = append(names, name+string(rune('a'+i)))
		ids = append(ids, short+"-az"+string(rune('1'+i)))
	}
	return names, ids
}

// shortName is the zone id prefix: eu-west-1 -> euw1, ap-northeast-1 -> apne1.
func shortName(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return region
	}
	dir := map[string]string{"north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
		"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
	d, ok := dir[parts[1]]
	if !ok {
		d = parts[1][:1]
	}
	return parts[0] + d + parts[len(parts)-1]
}
