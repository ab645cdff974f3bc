import { Certificate, CertificateValidation, type ICertificate } from "aws-cdk-lib/aws-certificatemanager";
import type { Distribution } from "aws-cdk-lib/aws-cloudfront";
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from "aws-cdk-lib/aws-route53";
import { CloudFrontTarget } from "aws-cdk-lib/aws-route53-targets";
import type { Construct } from "constructs";
import type { Domain } from "./stages.js";

/**
 * The certificate for the stage's own domain: the one given (CERTIFICATE_ARN), or one ACM issues in
 * the stack (us-east-1, where CloudFront takes them from), validated by a DNS record in the hosted
 * zone. None without a domain: the distribution's `*.cloudfront.net` name has CloudFront's own.
 */
export function certificateFor(scope: Construct, domain: Domain | undefined): ICertificate | undefined {
  if (!domain) return undefined;
  if (domain.certificateArn) return Certificate.fromCertificateArn(scope, "Certificate", domain.certificateArn);
  return new Certificate(scope, "Certificate", {
    domainName: domain.name,
    validation: CertificateValidation.fromDns(HostedZone.fromHostedZoneId(scope, "CertificateZone", domain.hostedZoneId!)),
  });
}

/** With a hosted zone, the domain's A and AAAA records point at the distribution; otherwise the DNS owner does (a CNAME). */
export function pointDomainAt(scope: Construct, domain: Domain | undefined, distribution: Distribution): void {
  if (!domain?.hostedZoneId) return;
  const zone = HostedZone.fromHostedZoneId(scope, "Zone", domain.hostedZoneId);
  const target = RecordTarget.fromAlias(new CloudFrontTarget(distribution));
  // A name ending in "." is taken as it is: the zone's name, which an imported zone does not know, is not needed.
  new ARecord(scope, "DomainA", { zone, recordName: `${domain.name}.`, target });
  new AaaaRecord(scope, "DomainAaaa", { zone, recordName: `${domain.name}.`, target });
}
