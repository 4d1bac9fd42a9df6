"""Counts requests per path in the DynamoDB table named by TABLE_NAME."""

import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    path = event.get("rawPath", "/")
    result = table.update_item(
        Key={"path": path},
        UpdateExpression="ADD hits :one",
        ExpressionAttributeValues={":one": 1},
        ReturnValues="UPDATED_NEW",
    )
    hits = int(result["Attributes"]["hits"])
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"path": path, "hits": hits}),
    }
