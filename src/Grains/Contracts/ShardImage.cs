namespace Mining.Grains.Contracts;

/// <summary>One image of a shard: its position in the dataset, id and path.</summary>
[GenerateSerializer]
[Alias("Mining.ShardImage")]
public sealed record ShardImage([property: Id(0)] int Index, [property: Id(1)] string ImageId, [property: Id(2)] string Path);
