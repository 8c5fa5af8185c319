"""The bucket policy media needs: images readable by URL, nothing else public.

Objects carry no ACL (AWS_DEFAULT_ACL = None); this policy is what lets a browser or
a CDN fetch originals and renditions. Documents stay private (Wagtail's document view
streams them after its privacy check) and nobody anonymous may list the bucket.
"""

import json

PUBLIC_PREFIXES: tuple[str, ...] = ("original_images/", "images/")


def public_read_policy(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PublicReadImages",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in PUBLIC_PREFIXES],
        }],
    }


def public_read_policy_json(bucket: str) -> str:
    return json.dumps(public_read_policy(bucket), indent=2)
