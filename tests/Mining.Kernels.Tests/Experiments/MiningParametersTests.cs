using System.Text.Json;
using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class MiningParametersTests
{
    [Fact]
    public void Defaults_are_the_published_llava_1_5_configuration()
    {
        var p = new MiningParameters();
        Assert.Equal(0.15, p.Top1Thres);
        Assert.Equal(2e-3, p.JsdThres);
        Assert.Equal(1, p.KRegion);
        Assert.Equal(16, p.KGlobal);
        Assert.Equal(50, p.HeadTopK);
        Assert.Equal(10, p.JsdTopK);
        Assert.Equal(8, p.ImageClusters);
        Assert.Equal(8, p.SmallClusterMax);
        Assert.Equal(64, p.PrototypeClusters);
        Assert.Equal(64, p.MinUniqueImages);
        Assert.Equal(5, p.DpcKnnK);
        Assert.Equal(0, p.PadTokenId);
        Assert.Equal(1, p.Dup);
        Assert.Equal(0.99, p.DedupCosine);
        p.Validate();
    }

    public static TheoryData<string, MiningParameters> Invalid => new()
    {
        { "--top1-thres", new MiningParameters { Top1Thres = 0 } },
        { "--top1-thres", new MiningParameters { Top1Thres = 1.5 } },
        { "--top1-thres", new MiningParameters { Top1Thres = double.NaN } },
        { "--jsd-thres", new MiningParameters { JsdThres = -1 } },
        { "--jsd-thres", new MiningParameters { JsdThres = 0 } },
        { "--k-region", new MiningParameters { KRegion = -0.5 } },
        { "--k-global", new MiningParameters { KGlobal = -1 } },
        { "--k-region", new MiningParameters { KRegion = 0, KGlobal = 0 } },
        { "--head-topk", new MiningParameters { HeadTopK = 0 } },
        { "--jsd-topk", new MiningParameters { JsdTopK = 0 } },
        { "--image-clusters", new MiningParameters { ImageClusters = 0 } },
        { "--small-cluster-max", new MiningParameters { SmallClusterMax = 0 } },
        { "--prototype-clusters", new MiningParameters { PrototypeClusters = 0 } },
        { "--min-unique-images", new MiningParameters { MinUniqueImages = -1 } },
        { "--dpc-knn-k", new MiningParameters { DpcKnnK = 0 } },
        { "--pad-token-id", new MiningParameters { PadTokenId = -1 } },
        { "--dup", new MiningParameters { Dup = 0 } },
        { "--dedup-cosine", new MiningParameters { DedupCosine = 0 } },
        { "--dedup-cosine", new MiningParameters { DedupCosine = 1.01 } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validation_names_the_option_of_the_bad_parameter(string option, MiningParameters parameters)
    {
        var e = Assert.Throws<MiningParameterException>(parameters.Validate);
        Assert.StartsWith(option + " ", e.Message);
        Assert.Equal(option, e.Option);
    }

    [Fact]
    public void Validation_message_states_the_rule_and_the_value()
    {
        var e = Assert.Throws<MiningParameterException>(new MiningParameters { JsdThres = -1 }.Validate);
        Assert.Equal("--jsd-thres must be positive, got -1", e.Message);
    }

    [Fact]
    public void A_parameter_exception_is_an_argument_exception()
    {
        Assert.Throws<MiningParameterException>(new MiningParameters { Dup = 0 }.Validate);
        Assert.IsAssignableFrom<ArgumentException>(new MiningParameterException("--dup", "x"));
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        new MiningParameters { Top1Thres = 1, KRegion = 0, MinUniqueImages = 0, DedupCosine = 1, HeadTopK = 1, JsdTopK = 1 }.Validate();
        new MiningParameters { KGlobal = 0 }.Validate();
    }

    [Fact]
    public void Json_uses_the_snake_case_names_of_the_architecture()
    {
        using var document = JsonDocument.Parse(new MiningParameters().ToJson());
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).Order().ToArray();
        string[] expected =
        [
            "dedup_cosine", "dpc_knn_k", "dup", "head_topk", "image_clusters", "jsd_thres", "jsd_topk", "k_global",
            "k_region", "min_unique_images", "pad_token_id", "prototype_clusters", "skip_leading_tokens", "small_cluster_max", "top1_thres",
        ];
        Assert.Equal(expected, names);
        Assert.Equal(["\u2581A"], document.RootElement.GetProperty("skip_leading_tokens").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0.002, document.RootElement.GetProperty("jsd_thres").GetDouble());
        Assert.Equal(50, document.RootElement.GetProperty("head_topk").GetInt32());
    }

    [Fact]
    public void Skip_leading_tokens_round_trip_compare_by_value_and_a_record_without_them_takes_the_default()
    {
        var p = new MiningParameters { SkipLeadingTokens = ["\u2581A", "\u2581The"] };
        Assert.Equal(p, MiningParameters.FromJson(p.ToJson()));
        Assert.Equal(new MiningParameters { SkipLeadingTokens = ["\u2581A", "\u2581The"] }, p);
        Assert.NotEqual(new MiningParameters { SkipLeadingTokens = [] }, new MiningParameters());
        Assert.Empty(MiningParameters.FromJson("""{"skip_leading_tokens":[]}""").SkipLeadingTokens);
        Assert.Equal(["\u2581A"], MiningParameters.FromJson("""{"top1_thres":0.2}""").SkipLeadingTokens);
        var error = Assert.Throws<MiningParameterException>(() => new MiningParameters { SkipLeadingTokens = [""] }.Validate());
        Assert.Equal("--skip-leading-tokens", error.Option);
    }

    [Fact]
    public void Json_round_trips()
    {
        var p = new MiningParameters
        {
            Top1Thres = 0.2, JsdThres = 1.8e-3, KRegion = 0.5, KGlobal = 8, HeadTopK = 40, JsdTopK = 5, ImageClusters = 4,
            SmallClusterMax = 6, PrototypeClusters = 32, MinUniqueImages = 10, DpcKnnK = 3, PadTokenId = 2, Dup = 4, DedupCosine = 0.95,
        };
        Assert.Equal(p, MiningParameters.FromJson(p.ToJson()));
    }

    [Fact]
    public void Missing_json_names_take_their_defaults()
    {
        var p = MiningParameters.FromJson("""{"jsd_thres": 0.15, "top1_thres": 0.185}""");
        Assert.Equal(new MiningParameters { JsdThres = 0.15, Top1Thres = 0.185 }, p);
    }

    [Fact]
    public void An_unknown_json_name_is_refused()
    {
        var e = Assert.Throws<JsonException>(() => MiningParameters.FromJson("""{"jsd_threshold": 0.1}"""));
        Assert.Contains("jsd_threshold", e.Message);
    }

    [Fact]
    public void Json_with_an_out_of_range_value_is_refused_by_validation()
    {
        var e = Assert.Throws<MiningParameterException>(() => MiningParameters.FromJson("""{"dup": 0}"""));
        Assert.Equal("--dup", e.Option);
    }
}
