"""Options that choose and configure a model, shared by `solve` and `run`."""

from __future__ import annotations

import typer

Model = typer.Option(
    None,
    "--model",
    help="Model name, or builtin:tool-policy / builtin:random (default offline: builtin:tool-policy).",
)
BaseUrl = typer.Option(None, "--base-url", help="OpenAI-compatible server, e.g. http://localhost:8000/v1.")
ApiKeyEnv = typer.Option("OPENAI_API_KEY", "--api-key-env", help="Environment variable holding the API key.")
Timeout = typer.Option(120.0, "--timeout", min=1.0, help="Seconds per model request.")
Retries = typer.Option(3, "--max-retries", min=0, help="Retries on 408/409/429/5xx and timeouts.")
ToolProtocol = typer.Option("auto", "--tool-protocol", help="auto | native | text (<tool_call> blocks).")
Access = typer.Option(
    "structure", "--access", help="images | structure: whether structure tools are offered."
)
MaxTurns = typer.Option(12, "--max-turns", min=1, help="Model calls per item; the last is a forced answer.")
