"""The domains of rapid qualitative analysis: the rows of the summary template.

A domain is usually one question or topic of the interview guide. They are
set in radar.toml, in the template's order::

    [[rapid.domains]]
    name = "Barriers"
    question = "What gets in the way of joining a group online?"
    description = "Devices, data, time, skills."
    themes = ["Access"]            # codebook themes that point at the domain
    codes = ["Passwords"]          # ... and codes
    keywords = ["hard to", "can't"]  # words in a kept turn that point at it

Where radar.toml sets none, each research question is a domain.
"""

from __future__ import annotations

from radar.config import CONFIG_NAME, DomainSettings, StudyConfig
from radar.errors import StudyError

Domain = DomainSettings  # the record is the checked setting itself

EXAMPLE_DOMAINS = (
    DomainSettings("Background", "Tell me about your role and how you came to it."),
    DomainSettings("Experience", "What has it been like so far?"),
    DomainSettings("Barriers", "What gets in the way?"),
    DomainSettings("Facilitators", "What helps?"),
    DomainSettings("Recommendations", "What would you change?"),
)


def study_domains(config: StudyConfig) -> tuple[Domain, ...]:
    """The study's domains: ``[[rapid.domains]]`` in radar.toml, else one per research question.

    Raises:
        StudyError: radar.toml sets neither (the message shows what to write).

    Example:
        >>> study_domains(StudyConfig(research_questions=("How is it supervised?",)))[0].name
        'How is it supervised?'
    """
    if config.rapid.domains:
        return config.rapid.domains
    if config.research_questions:
        return tuple(DomainSettings(question, question) for question in config.research_questions)
    raise StudyError(
        f"{CONFIG_NAME}: no domains for the rapid analysis; add one table per domain, such as "
        '[[rapid.domains]] then name = "Barriers" and question = "What gets in the way?" '
        "(or list research_questions = [...], one domain each)",
        path=CONFIG_NAME,
        key="rapid.domains",
    )


def example_domains_toml() -> str:
    """radar.toml lines for a starting set of domains (`radar rapid domains --example`)."""
    lines = []
    for domain in EXAMPLE_DOMAINS:
        lines += ["[[rapid.domains]]", f'name = "{domain.name}"', f'question = "{domain.question}"', ""]
    return "\n".join(lines)


__all__ = ["EXAMPLE_DOMAINS", "Domain", "example_domains_toml", "study_domains"]
