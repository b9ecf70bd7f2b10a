package catalog

// LogGroup is a CloudWatch Logs log group.
var LogGroup = register(Type{
	Token:     "aws:cloudwatch/logGroup:LogGroup",
	Terraform: "aws_cloudwatch_log_group",
	Deploy: Deploy{
		Actions: []string{"logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DescribeLogGroups", "logs:DisassociateKmsKey", "logs:ListTagsForResource", "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"},
	},
	Update: Update{
		ReplaceOn: []string{"name", "namePrefix", "logGroupClass"},
		Claims:    namedClaim("log group", "name"),
		Loses:     "the log group and the logs in it are deleted",
	},
	Mock: func(m *Mock) {
		p := m.Physical()
		m.ID = p
		m.Set("name", p)
		m.Set("arn", m.ArnPrefix("logs")+"log-group:"+p)
	},
	Cost: Cost{Priced: "CloudWatch Logs ingestion (container logs, VPC flow logs)"},
})
