// Cats vs Dogs with the AWS CDK: the same infrastructure as
// examples/cats-vs-dogs/main.infra, for docs/comparison/README.md.
import * as path from "node:path";
import { App, CfnOutput, CfnParameter, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as codebuild from "aws-cdk-lib/aws-codebuild";
import * as codeconnections from "aws-cdk-lib/aws-codeconnections";
import * as codepipeline from "aws-cdk-lib/aws-codepipeline";
import * as actions from "aws-cdk-lib/aws-codepipeline-actions";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecr from "aws-cdk-lib/aws-ecr";
import { Platform } from "aws-cdk-lib/aws-ecr-assets";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as logs from "aws-cdk-lib/aws-logs";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as targets from "aws-cdk-lib/aws-route53-targets";
import * as s3 from "aws-cdk-lib/aws-s3";

const app = new App();
// ALB access logging needs a region (for the account of the region's load
// balancers); the account stays unknown, so synth needs no credentials.
const stack = new Stack(app, "CatsVsDogs", { env: { region: "us-east-1" } });

const domain = new CfnParameter(stack, "Domain", { default: "catsdogs.example.com" }).valueAsString;
const zoneId = new CfnParameter(stack, "ZoneId", { default: "Z0123456789ABCDEFGHIJ" }).valueAsString;
const zone = route53.HostedZone.fromHostedZoneAttributes(stack, "Zone", { hostedZoneId: zoneId, zoneName: domain });

const vpc = new ec2.Vpc(stack, "Net", { maxAzs: 2, natGateways: 1 });
const cluster = new ecs.Cluster(stack, "Cluster", { vpc, enableFargateCapacityProviders: true, containerInsightsV2: ecs.ContainerInsights.ENABLED });

const cert = new acm.Certificate(stack, "Cert", {
  domainName: domain,
  validation: acm.CertificateValidation.fromDns(zone),
});

const logBucket = new s3.Bucket(stack, "LbLogs", {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  lifecycleRules: [{ expiration: Duration.days(90) }],
});
const lb = new elbv2.ApplicationLoadBalancer(stack, "Lb", { vpc, internetFacing: true, dropInvalidHeaderFields: true });
lb.logAccessLogs(logBucket);
lb.addRedirect({ sourcePort: 80, targetPort: 443 });
const listener = lb.addListener("Https", {
  port: 443,
  certificates: [cert],
  sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
  defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: "text/plain", messageBody: "Not found" }),
});

interface Pet {
  name: string;
  cpu: number;
  memory: number;
  paths: string[];
  priority: number;
  spot: boolean;
  requests?: number;
}

function pet(p: Pet): ecs.FargateService {
  const task = new ecs.FargateTaskDefinition(stack, `${p.name}Task`, { cpu: p.cpu, memoryLimitMiB: p.memory });
  task.addContainer("app", {
    image: ecs.ContainerImage.fromAsset(path.join(__dirname, "../../../../examples/cats-vs-dogs", p.name), {
      platform: Platform.LINUX_AMD64,
    }),
    environment: { SERVICE: p.name },
    portMappings: [{ containerPort: 80 }],
    logging: ecs.LogDrivers.awsLogs({
      streamPrefix: p.name,
      logGroup: new logs.LogGroup(stack, `${p.name}Logs`, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    }),
  });
  const service = new ecs.FargateService(stack, `${p.name}Service`, {
    cluster,
    taskDefinition: task,
    desiredCount: 2,
    circuitBreaker: { rollback: true },
    healthCheckGracePeriod: Duration.seconds(60),
    capacityProviderStrategies: [{ capacityProvider: p.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 }],
  });
  const group = listener.addTargets(p.name, {
    port: 80,
    targets: [service],
    priority: p.priority,
    conditions: [elbv2.ListenerCondition.pathPatterns(p.paths)],
    healthCheck: { path: `/${p.name}/` },
    deregistrationDelay: Duration.seconds(60),
  });
  const scaling = service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 6 });
  scaling.scaleOnCpuUtilization("Cpu", { targetUtilizationPercent: 60 });
  if (p.requests) {
    scaling.scaleOnRequestCount("Requests", { requestsPerTarget: p.requests, targetGroup: group });
  }
  return service;
}

const cats = pet({ name: "cats", cpu: 256, memory: 512, paths: ["/", "/cats", "/cats/*"], priority: 10, spot: false, requests: 500 });
const dogs = pet({ name: "dogs", cpu: 512, memory: 1024, paths: ["/dogs", "/dogs/*"], priority: 20, spot: true });

const site = new route53.ARecord(stack, "Site", {
  zone,
  target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(lb)),
});

const connection = new codeconnections.CfnConnection(stack, "Github", { connectionName: "github", providerType: "GitHub" });
const [owner, repo] = ["acme", "cats-vs-dogs"];

function delivery(name: string, service: ecs.FargateService) {
  const images = new ecr.Repository(stack, `${name}Images`, {
    repositoryName: `catsdogs/${name}`,
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: true,
  });
  const artifacts = new s3.Bucket(stack, `${name}Artifacts`, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(30) }],
  });
  const project = new codebuild.PipelineProject(stack, `${name}Build`, {
    environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, privileged: true },
    environmentVariables: { REPOSITORY_URI: { value: images.repositoryUri } },
    buildSpec: codebuild.BuildSpec.fromObject({
      version: "0.2",
      phases: {
        pre_build: {
          commands: [
            "aws ecr get-login-password | docker login --username AWS --password-stdin ${REPOSITORY_URI%%/*}",
            "TAG=$CODEBUILD_RESOLVED_SOURCE_VERSION",
          ],
        },
        build: {
          commands: [
            `docker manifest inspect $REPOSITORY_URI:$TAG >/dev/null 2>&1 || (docker build -f ${name}/Dockerfile -t $REPOSITORY_URI:$TAG ${name} && docker push $REPOSITORY_URI:$TAG)`,
          ],
        },
        post_build: {
          commands: [`printf '[{"name":"app","imageUri":"%s"}]' $REPOSITORY_URI:$TAG > imagedefinitions.json`],
        },
      },
      artifacts: { files: ["imagedefinitions.json"] },
    }),
  });
  images.grantPullPush(project);
  const source = new codepipeline.Artifact();
  const built = new codepipeline.Artifact();
  new codepipeline.Pipeline(stack, `${name}Pipeline`, {
    artifactBucket: artifacts,
    pipelineType: codepipeline.PipelineType.V2,
    stages: [
      {
        stageName: "Source",
        actions: [
          new actions.CodeStarConnectionsSourceAction({
            actionName: "GitHub",
            owner,
            repo,
            branch: "main",
            connectionArn: connection.attrConnectionArn,
            output: source,
          }),
        ],
      },
      { stageName: "Build", actions: [new actions.CodeBuildAction({ actionName: "Build", project, input: source, outputs: [built] })] },
      { stageName: "Deploy", actions: [new actions.EcsDeployAction({ actionName: "Deploy", service, input: built })] },
    ],
  });
}

delivery("cats", cats);
delivery("dogs", dogs);

new CfnOutput(stack, "Url", { value: `https://${site.domainName}`, exportName: `${stack.stackName}-url` });
new CfnOutput(stack, "GithubConnection", { value: connection.attrConnectionArn });
app.synth();
