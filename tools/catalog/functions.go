package catalog

import (
	"strings"

	"github.com/example/alb-cognito-fargate/infra/regions"
)

// Function is a provider function (a data source) the program calls: what
// the recording mock answers.
type Function struct {
	Token string
	// Mock answers a call in the region of the stack.
	Mock func(region string, args map[string]any) map[string]any
}

var functions = map[string]*Function{}

func function(f Function) *Function {
	functions[f.Token] = &f
	return &f
}

// LookupFunction returns the entry of a provider function's token.
func LookupFunction(token string) (*Function, bool) {
	f, ok := functions[token]
	return f, ok
}

// GetAvailabilityZones lists the region's zones, minus the excluded ones.
var GetAvailabilityZones = function(Function{
	Token: "aws:index/getAvailabilityZones:getAvailabilityZones",
	Mock: func(region string, args map[string]any) map[string]any {
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

// GetCallerIdentity is the deploying principal and its account.
var GetCallerIdentity = function(Function{
	Token: "aws:index/getCallerIdentity:getCallerIdentity",
	Mock: func(string, map[string]any) map[string]any {
		return map[string]any{"id": Account, "accountId": Account, "arn": "arn:aws:iam::" + Account + ":user/deployer", "userId": "AIDAEXAMPLE"}
	},
})

// GetZone looks up the public hosted zone.
var GetZone = function(Function{
	Token: "aws:route53/getZone:getZone",
	Mock: func(_ string, args map[string]any) map[string]any {
		name, _ := args["name"].(string)
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
