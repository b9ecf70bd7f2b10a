package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newRecords points every host at the load balancer (an alias A record),
// each record named by host (see newCertificate). It returns them by host.
func newRecords(ctx *pulumi.Context, name string, hosts []string, zoneID pulumi.StringInput, alb *lb.LoadBalancer, parent pulumi.ResourceOption) (map[string]pulumi.Resource, error) {
	records := map[string]pulumi.Resource{}
	for i, host := range hosts {
		rec, err := route53.NewRecord(ctx, name+"-dns-"+host, &route53.RecordArgs{
			ZoneId: zoneID,
			Name:   pulumi.String(host),
			Type:   pulumi.String("A"),
			Aliases: route53.RecordAliasArray{
				&route53.RecordAliasArgs{Name: alb.DnsName, ZoneId: alb.ZoneId, EvaluateTargetHealth: pulumi.Bool(true)},
			},
		}, parent, formerly(fmt.Sprintf("%s-dns-%d", name, i)))
		if err != nil {
			return nil, err
		}
		records[host] = rec
	}
	return records, nil
}
