package core

// A Fact is one thing a lesson says about a real technology (Kafka, SQS,
// RabbitMQ, gRPC, asyncio), with the official page that says so. The list
// is reviewed by hand: a lesson sentence that names one of these
// technologies must be backed by a fact of that lesson and technology
// (TestEveryTechnologyALessonNamesHasAFact), and every source is an https
// page of the technology's own documentation, design proposals or source
// (TestFactsCiteOfficialSources). What a lesson says about its own run is
// checked by its Claims instead.
type Fact struct {
	Lesson string // the lesson's ID
	Tech   string // a key of factSources: Kafka, SQS, RabbitMQ, gRPC or asyncio
	Text   string // the fact, in one sentence
	Source string // an https URL on an official domain of Tech
}

// factSources maps each technology a lesson's prose is searched for to the
// URL prefixes its facts may cite: the technology's own documentation,
// design proposals (Kafka's KIPs, gRPC's gRFCs) and source. A function,
// not a map variable, so that no program carries it unless it asks.
func factSources() map[string][]string {
	return map[string][]string{
		"Kafka":    {"https://kafka.apache.org/", "https://cwiki.apache.org/confluence/display/KAFKA/", "https://github.com/apache/kafka/"},
		"SQS":      {"https://docs.aws.amazon.com/AWSSimpleQueueService/"},
		"RabbitMQ": {"https://www.rabbitmq.com/docs/"},
		"gRPC":     {"https://grpc.io/docs/", "https://github.com/grpc/proposal/"},
		"asyncio":  {"https://docs.python.org/3/library/asyncio"},
	}
}

// LessonFacts lists the reviewed facts, lesson by lesson in course order.
// It is a function, like the lessons, so that a program that never asks
// for them does not carry them.
func LessonFacts() []Fact {
	return []Fact{
		// rest-and-grpc, step 2: the stub, the deadline and cancellation.
		{"rest-and-grpc", "gRPC", "A unary RPC's blocking client stub waits until the response arrives or the call's deadline passes; gRPC sets no deadline by default.",
			"https://grpc.io/docs/guides/deadlines/"},
		{"rest-and-grpc", "gRPC", "A call whose deadline has passed fails on the client with DEADLINE_EXCEEDED.",
			"https://grpc.io/docs/guides/deadlines/"},
		{"rest-and-grpc", "gRPC", "When the deadline passes, gRPC cancels the call on the server too; a handler that watches for cancellation stops, one that ignores it finishes work whose reply nobody receives.",
			"https://grpc.io/docs/guides/cancellation/"},

		// async-await, step 2: asyncio.gather.
		{"async-await", "asyncio", "asyncio.gather runs the awaitables it is given concurrently and returns their results once all of them are done.",
			"https://docs.python.org/3/library/asyncio-task.html#asyncio.gather"},
		{"async-await", "asyncio", "Awaiting coroutines one after another runs them one after another: the second does not start before the first returns.",
			"https://docs.python.org/3/library/asyncio-task.html#coroutines"},

		// dead-letters, step 1: SQS's visibility timeout and redrive
		// policy, and RabbitMQ's requeue.
		{"dead-letters", "SQS", "A message a consumer has received and not deleted becomes visible again, and is received again, when its visibility timeout ends.",
			"https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html"},
		{"dead-letters", "SQS", "A consumer can change one message's visibility timeout (ChangeMessageVisibility), in whole seconds, for example to back off before it is received again.",
			"https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html"},
		{"dead-letters", "SQS", "A queue's redrive policy moves a message to its dead-letter queue once the message's receive count exceeds maxReceiveCount.",
			"https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html"},
		{"dead-letters", "RabbitMQ", "A message a consumer nacks or rejects with requeue is put back in its queue at once, to be delivered again.",
			"https://www.rabbitmq.com/docs/confirms#consumer-nacks-requeue"},
		{"dead-letters", "RabbitMQ", "A delayed retry takes another mechanism, such as a retry queue whose message TTL dead-letters the message back to the work queue.",
			"https://www.rabbitmq.com/docs/dlx"},
		// dead-letters, step 2: gRPC's retry policy, not its connection
		// backoff.
		{"dead-letters", "gRPC", "gRPC's retry policy sets maxAttempts (the original call included, at most 5), initialBackoff, maxBackoff and backoffMultiplier; retry n waits a random time in [0, min(initialBackoff·backoffMultiplier^(n−1), maxBackoff)].",
			"https://github.com/grpc/proposal/blob/master/A6-client-retries.md"},
		{"dead-letters", "gRPC", "gRPC retries a call only when it fails with a status code listed in the policy's retryableStatusCodes.",
			"https://grpc.io/docs/guides/retry/"},

		// ordering, step 1: keyed partitions.
		{"ordering", "Kafka", "Kafka's default partitioner sends a record with a key to the partition toPositive(murmur2(key bytes)) % number of partitions, so every record of one key goes to the same partition.",
			"https://github.com/apache/kafka/blob/trunk/clients/src/main/java/org/apache/kafka/clients/producer/internals/BuiltInPartitioner.java"},
		{"ordering", "Kafka", "Kafka keeps the records of a partition in the order they were written, and a consumer reads them in that order.",
			"https://kafka.apache.org/documentation/#intro_concepts_and_terms"},
		{"ordering", "Kafka", "Within a consumer group each partition is read by exactly one consumer, which pulls its records and commits its own offset.",
			"https://kafka.apache.org/documentation/#design_consumerposition"},
	}
}
