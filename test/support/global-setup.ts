// Placeholder: the Kafka broker check is added with the broker script.
export default async function setup(): Promise<void> {}
