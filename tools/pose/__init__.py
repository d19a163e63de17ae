"""Poses: rigid transforms between coordinate sets, written as the paper's commands."""

from tools.pose.kabsch import kabsch, rotation_commands, snap, transform_commands

__all__ = ["kabsch", "rotation_commands", "snap", "transform_commands"]
