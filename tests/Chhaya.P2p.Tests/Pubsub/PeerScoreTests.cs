// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Pubsub;

namespace Chhaya.P2p.Tests.Pubsub;

public class PeerScoreTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static PeerId NewPeer()
    {
        using var id = Ed25519Identity.Generate();
        return id.PeerId;
    }

    private static MessageId Id(byte b) => new([b]);

    [Fact]
    public void Time_in_mesh_and_first_deliveries_add_up_and_are_capped()
    {
        var time = new ManualTime();
        var score = new PeerScore(new PeerScoreParams { TopicScoreCap = 0 }, time);
        var p = NewPeer();
        score.AddPeer(p, IPAddress.Parse("192.0.2.1"));
        score.Graft(p, "t");
        time.Now += TimeSpan.FromSeconds(100);
        Assert.Equal(100 * 0.01, score.Score(p), 6);

        for (byte i = 0; i < 30; i++)
        {
            score.ValidateMessage(Id(i), p);
            score.DeliverMessage(Id(i), p, "t");
        }

        // P2 is capped at 20 deliveries.
        Assert.Equal(1 + 20, score.Score(p), 6);
        time.Now += TimeSpan.FromDays(1);
        Assert.Equal(3600 * 0.01 + 20, score.Score(p), 6);
    }

    [Fact]
    public void Invalid_messages_count_squared_and_decay()
    {
        var time = new ManualTime();
        var score = new PeerScore(new PeerScoreParams(), time);
        var p = NewPeer();
        var other = NewPeer();
        score.AddPeer(p, null);
        score.AddPeer(other, null);

        // The validator rejects a message two peers sent: both are penalised.
        score.ValidateMessage(Id(1), p);
        score.DuplicateMessage(Id(1), other, "t");
        score.RejectMessage(Id(1), p, "t");
        score.RejectInvalidSignature(p, "t");
        Assert.Equal(-10 * 4, score.Score(p), 6);
        Assert.Equal(-10, score.Score(other), 6);

        // A later copy of a message known to be invalid is penalised too.
        var third = NewPeer();
        score.AddPeer(third, null);
        score.DuplicateMessage(Id(1), third, "t");
        Assert.Equal(-10, score.Score(third), 6);

        for (var i = 0; i < 100; i++)
        {
            score.Decay();
        }

        Assert.Equal(-10 * Math.Pow(2 * Math.Pow(0.99, 100), 2), score.Score(p), 6);
    }

    [Fact]
    public void Ip_colocation_penalises_the_surplus_except_whitelisted_networks()
    {
        var score = new PeerScore(new PeerScoreParams(), new ManualTime());
        var peers = Enumerable.Range(0, 5).Select(_ => NewPeer()).ToList();
        foreach (var p in peers)
        {
            score.AddPeer(p, IPAddress.Parse("198.51.100.7"));
        }

        // Threshold 3, five peers: surplus 2, -10 * 2^2.
        Assert.All(peers, p => Assert.Equal(-40, score.Score(p), 6));
        score.RemovePeer(peers[0]);
        Assert.Equal(-10, score.Score(peers[1]), 6);

        var local = Enumerable.Range(0, 10).Select(_ => NewPeer()).ToList();
        foreach (var p in local)
        {
            score.AddPeer(p, IPAddress.Loopback);
        }

        Assert.All(local, p => Assert.Equal(0, score.Score(p)));
    }

    [Fact]
    public void Behaviour_penalty_applies_above_its_threshold_and_app_score_is_weighted()
    {
        PeerId? favoured = null;
        var score = new PeerScore(new PeerScoreParams { AppSpecificScore = p => p.Equals(favoured) ? 5 : 0, AppSpecificWeight = 2 }, new ManualTime());
        var p = NewPeer();
        favoured = NewPeer();
        score.AddPeer(p, null);
        score.AddPeer(favoured, null);
        score.AddPenalty(p, 2);
        Assert.Equal(0, score.Score(p));
        score.AddPenalty(p, 3);
        Assert.Equal(-10 * 9, score.Score(p), 6);
        Assert.Equal(10, score.Score(favoured), 6);
    }

    [Fact]
    public void Mesh_delivery_deficit_is_penalised_after_activation_and_sticks_after_prune()
    {
        var time = new ManualTime();
        var topic = new TopicScoreParams
        {
            TimeInMeshWeight = 0,
            MeshMessageDeliveriesWeight = -1,
            MeshMessageDeliveriesThreshold = 4,
            MeshFailurePenaltyWeight = -1,
        };
        var score = new PeerScore(new PeerScoreParams { DefaultTopic = topic }, time);
        var p = NewPeer();
        var q = NewPeer();
        score.AddPeer(p, null);
        score.AddPeer(q, null);
        score.Graft(p, "t");
        score.Graft(q, "t");
        Assert.Equal(0, score.Score(p));

        // q delivers a near-first copy inside the window, p delivers first: both get mesh credit.
        score.ValidateMessage(Id(9), p);
        score.DeliverMessage(Id(9), p, "t");
        score.DuplicateMessage(Id(9), q, "t");
        time.Now += TimeSpan.FromSeconds(6);
        Assert.Equal(1 - 9, score.Score(p), 6); // P2 1, deficit 3 squared
        Assert.Equal(-9, score.Score(q), 6);

        score.Prune(q, "t");
        Assert.Equal(-9, score.Score(q), 6); // now as P3b
        score.Decay();
        Assert.Equal(-4.5, score.Score(q), 6);
    }

    [Fact]
    public void A_disconnected_peers_bad_score_is_retained_then_forgotten()
    {
        var time = new ManualTime();
        var score = new PeerScore(new PeerScoreParams { RetainScore = TimeSpan.FromMinutes(1) }, time);
        var p = NewPeer();
        score.AddPeer(p, null);
        score.RejectInvalidSignature(p, "t");
        score.RemovePeer(p);
        score.AddPeer(p, null);
        Assert.Equal(-10, score.Score(p), 6);
        score.RemovePeer(p);
        time.Now += TimeSpan.FromMinutes(2);
        score.Decay();
        Assert.Equal(0, score.TrackedPeers);
    }
}
