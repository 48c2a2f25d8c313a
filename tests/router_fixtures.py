"""Small synthetic route sets for the router tests (real PluginHost, fixed plugin list)."""
from __future__ import annotations

from slm.config import load_settings
from slm.host.host import PluginHost
from slm.plugins.sdk import PluginInfo

ROUTES = {
    "weather": [
        "what's the weather like tomorrow", "will it rain in paris today", "forecast for the weekend",
        "is it going to snow tonight", "how hot will it be on friday", "do i need an umbrella today",
        "weather forecast for london", "what is the temperature outside", "will it be sunny this afternoon",
        "is there a storm coming", "how windy is it in chicago", "chance of rain on saturday",
    ],
    "music": [
        "play some jazz", "put on my workout playlist", "play the latest album by adele", "skip this song",
        "turn the music up", "play relaxing piano music", "shuffle my liked songs", "what song is playing",
        "play rock music from the eighties", "pause the music", "queue the next track", "play a song by queen",
    ],
    "recipes": [
        "how do i make pancakes", "recipe for chicken curry", "what can i cook with eggs and rice",
        "give me a vegetarian lasagna recipe", "how long do i bake banana bread", "easy dinner recipe for two",
        "how to make tomato soup", "ingredients for a chocolate cake", "recipe for guacamole",
        "how do i cook quinoa", "quick pasta sauce recipe", "how to roast vegetables",
    ],
}

NEGATIVES = [
    "who won the world cup", "what is the capital of peru", "write a poem about love", "hello there",
    "explain quantum physics", "how do i fix my bike", "tell me about the roman empire", "thanks a lot",
    "how do i learn python", "what is the meaning of life", "book a flight to rome", "who painted the mona lisa",
    "what is a black hole", "translate hello into german", "how tall is everest", "good night",
    "write a story about a dragon", "what is bitcoin", "how many legs does a spider have", "fix my code",
]


def make_infos(routes: dict[str, list[str]] = ROUTES, version: str = "1.0.0") -> list[PluginInfo]:
    return [PluginInfo(name=name, version=version, description=f"{name} plugin", examples=tuple(ex), model=None)
            for name, ex in routes.items()]


def make_host(tmp_home, routes: dict[str, list[str]] = ROUTES, version: str = "1.0.0") -> PluginHost:
    settings = load_settings(env={}, home=tmp_home)
    return PluginHost(settings, plugins=make_infos(routes, version))


def make_router(tmp_home, routes: dict[str, list[str]] = ROUTES, *, negatives=NEGATIVES, **kwargs):
    from slm.router import Router

    host = make_host(tmp_home, routes)
    return Router(host.settings, examples_provider=host, negatives=negatives, **kwargs)
