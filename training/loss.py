"""Task-aligned assignment and the detection loss.

Assignment (after TOOD / YOLOv8's task-aligned assigner, written here from the idea): a cell may serve a box
when its centre lies inside the box or in the cell holding the box centre at that level; among those, each
box takes the k cells where score^0.5 * IoU^6 is highest, so cells whose classification and localisation
already agree are trained as positives. A cell claimed by two boxes goes to the one it overlaps most.
Classification targets are soft (the alignment rescaled to the best IoU of the box), boxes are trained
with CIoU, both normalised by the sum of the targets.
"""
import math

import torch
import torch.nn.functional as F


def box_iou_pairwise(a, b, eps=1e-7):
    """a [..., 4], b [..., 4] xyxy, broadcast -> IoU [...]."""
    lt = torch.maximum(a[..., :2], b[..., :2])
    rb = torch.minimum(a[..., 2:], b[..., 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area_a = (a[..., 2:] - a[..., :2]).clamp(min=0).prod(-1)
    area_b = (b[..., 2:] - b[..., :2]).clamp(min=0).prod(-1)
    return inter / (area_a + area_b - inter + eps)


def ciou(a, b, eps=1e-7):
    iou = box_iou_pairwise(a, b, eps)
    enclose_lt = torch.minimum(a[..., :2], b[..., :2])
    enclose_rb = torch.maximum(a[..., 2:], b[..., 2:])
    c2 = ((enclose_rb - enclose_lt) ** 2).sum(-1) + eps
    rho2 = (((a[..., :2] + a[..., 2:]) - (b[..., :2] + b[..., 2:])) ** 2).sum(-1) / 4
    wa, ha = a[..., 2] - a[..., 0], (a[..., 3] - a[..., 1]).clamp(min=eps)
    wb, hb = b[..., 2] - b[..., 0], (b[..., 3] - b[..., 1]).clamp(min=eps)
    v = (4 / math.pi ** 2) * (torch.atan(wb / hb) - torch.atan(wa / ha)) ** 2
    with torch.no_grad():
        alpha = v / (v - iou + (1 + eps))
    return iou - (rho2 / c2 + v * alpha)


@torch.no_grad()
def assign(scores, pred_boxes, centres, strides, gt_labels, gt_boxes, gt_mask, topk=10, alpha=0.5, beta=6.0):
    """scores [B,N,C] sigmoid, pred_boxes [B,N,4] xyxy px, centres [N,2], strides [N,1],
    gt_labels [B,M] long, gt_boxes [B,M,4], gt_mask [B,M] bool.
    Returns target_boxes [B,N,4], target_scores [B,N,C], fg [B,N] bool."""
    B, N, C = scores.shape
    M = gt_boxes.shape[1]
    if M == 0:
        return (torch.zeros(B, N, 4), torch.zeros(B, N, C), torch.zeros(B, N, dtype=torch.bool))
    cx, cy = centres[:, 0], centres[:, 1]
    g = gt_boxes[:, :, None, :]  # B,M,1,4
    inside = (cx > g[..., 0]) & (cx < g[..., 2]) & (cy > g[..., 1]) & (cy < g[..., 3])
    gcx, gcy = (g[..., 0] + g[..., 2]) / 2, (g[..., 1] + g[..., 3]) / 2
    half = strides[:, 0] / 2
    centre_cell = ((cx - gcx).abs() <= half) & ((cy - gcy).abs() <= half)
    candidate = (inside | centre_cell) & gt_mask[:, :, None]  # B,M,N

    iou = box_iou_pairwise(gt_boxes[:, :, None, :], pred_boxes[:, None, :, :]).clamp(min=0)  # B,M,N
    cls_score = scores.permute(0, 2, 1).gather(1, gt_labels[:, :, None].expand(B, M, N))  # B,M,N
    align = cls_score.pow(alpha) * iou.pow(beta)
    align = align * candidate
    # Top-k per box; ties broken towards candidates (a tiny epsilon keeps early all-zero alignments usable).
    rank = align + candidate.float() * 1e-9 * (1 + iou)
    top = rank.topk(min(topk, N), dim=-1).indices
    chosen = torch.zeros_like(candidate).scatter_(-1, top, True) & candidate

    # One box per cell: the one it overlaps most.
    multi = chosen.sum(1) > 1  # B,N
    if multi.any():
        best = (iou * chosen).argmax(1)  # B,N
        onehot = F.one_hot(best, M).permute(0, 2, 1).bool()
        chosen = torch.where(multi[:, None, :], onehot & chosen, chosen)
    fg = chosen.any(1)
    gt_index = chosen.float().argmax(1)  # B,N

    target_boxes = gt_boxes.gather(1, gt_index[..., None].expand(B, N, 4))
    target_labels = gt_labels.gather(1, gt_index)
    align = align * chosen
    max_align = align.amax(-1, keepdim=True)
    max_iou = (iou * chosen).amax(-1, keepdim=True)
    norm = (align * max_iou / (max_align + 1e-9)).amax(1)  # B,N
    target_scores = F.one_hot(target_labels, C).float() * (norm * fg)[..., None]
    return target_boxes, target_scores, fg


def detection_loss(dist, logits, centres, strides, gt_labels, gt_boxes, gt_mask, box_weight=7.5, cls_weight=0.5):
    """dist [B,N,4] ltrb in strides, logits [B,N,C]."""
    pred_boxes = torch.cat([centres - dist[..., :2] * strides, centres + dist[..., 2:] * strides], -1)
    target_boxes, target_scores, fg = assign(logits.detach().sigmoid(), pred_boxes.detach(), centres, strides,
                                             gt_labels, gt_boxes, gt_mask)
    norm = target_scores.sum().clamp(min=1)
    cls = F.binary_cross_entropy_with_logits(logits, target_scores, reduction="sum") / norm
    if fg.any():
        weight = target_scores.sum(-1)[fg]
        box = ((1 - ciou(pred_boxes[fg], target_boxes[fg])) * weight).sum() / norm
    else:
        box = pred_boxes.sum() * 0
    return box_weight * box + cls_weight * cls, box.detach(), cls.detach()
