# label: secure
# round: 1
import boto3

s3 = boto3.client("s3", region_name="eu-west-1")
