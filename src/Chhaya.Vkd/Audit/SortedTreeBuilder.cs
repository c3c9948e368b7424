// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Vkd.Configuration;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Verification;

namespace Chhaya.Vkd.Audit;

/// <summary>
/// Rebuilds the root hash of the compressed trie spanned by a set of elements (leaves or untouched
/// subtrees) fed in left-to-right order, keeping only the right spine: at most one pending subtree per
/// bit of depth, so memory is O(256) whatever the number of elements. The result equals AKD's auditor
/// tree (<c>akd/src/append_only_zks.rs</c>, <c>InsertMode::Auditor</c>): each multi-element set becomes
/// a node labelled by its longest common prefix, the root splits at bit 0, a missing child of the root
/// is (empty node hash, empty label) and an empty set is the empty root.
/// </summary>
/// <remarks>
/// Unlike AKD, which silently drops an element nested under another, overlapping elements are refused:
/// two elements where one label is a prefix of (or equal to) the other cannot both be tree nodes.
/// </remarks>
internal sealed class SortedTreeBuilder
{
    private readonly VkdConfiguration _config;
    private readonly List<(NodeLabel Label, Digest Value)> _stack = new(NodeLabel.MaxBits + 1);
    private NodeLabel _previous;
    private bool _any;

    public SortedTreeBuilder(VkdConfiguration config) => _config = config;

    /// <summary>Elements added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds the next element; its label must sort after the previous one and not overlap it.</summary>
    /// <exception cref="VkdVerificationException">Order or overlap violated.</exception>
    public void Add(in NodeLabel label, in Digest value)
    {
        if (label.BitLength == 0)
        {
            VkdVerificationException.Fail(VkdCheck.AuditElementMalformed, "an element has the root's empty label");
        }

        if (_any)
        {
            var order = _previous.CompareValue(label);
            var common = _previous.CommonPrefixLength(label);
            if (common >= _previous.BitLength || common >= label.BitLength)
            {
                VkdVerificationException.Fail(VkdCheck.AuditElementsOverlap, $"{_previous} and {label} overlap");
            }

            if (order > 0)
            {
                VkdVerificationException.Fail(VkdCheck.AuditOrder, $"{label} comes after {_previous}");
            }

            while (_stack.Count >= 2 && _stack[^2].Label.CommonPrefixLength(_stack[^1].Label) > common)
            {
                MergeTop();
            }
        }

        _stack.Add((label, value));
        _previous = label;
        _any = true;
        Count++;
    }

    /// <summary>The published root hash of the tree the elements span.</summary>
    public Digest FinishRootHash()
    {
        if (_stack.Count == 0)
        {
            return _config.RootHash(_config.EmptyRootValue);
        }

        while (_stack.Count >= 2)
        {
            MergeTop();
        }

        var (label, value) = _stack[0];
        Digest rootValue;
        if (label.BitLength == 0)
        {
            rootValue = value;
        }
        else if (label.GetBit(0) == 0)
        {
            rootValue = _config.ParentHash(value, label, _config.EmptyNodeHash, _config.EmptyLabel);
        }
        else
        {
            rootValue = _config.ParentHash(_config.EmptyNodeHash, _config.EmptyLabel, value, label);
        }

        return _config.RootHash(rootValue);
    }

    private void MergeTop()
    {
        var right = _stack[^1];
        var left = _stack[^2];
        _stack.RemoveAt(_stack.Count - 1);
        var split = left.Label.CommonPrefixLength(right.Label);
        var parent = left.Label.Prefix(split);
        _stack[^1] = (parent, _config.ParentHash(left.Value, left.Label, right.Value, right.Label));
    }
}
