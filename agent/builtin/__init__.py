"""Built-in offline models: a deterministic tool policy and a seeded chance baseline."""

from agent.builtin.policy import ToolPolicyModel
from agent.builtin.random_model import RandomModel

__all__ = ["RandomModel", "ToolPolicyModel"]
