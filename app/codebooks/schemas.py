"""The codebooks as the API shows them."""

from pydantic import BaseModel, Field

from app.language.codebook import Codebook


class PhraseOut(BaseModel):
    phrase: str
    probability: float = Field(description="The probability that what the hedge qualifies is true.")
    source: str = Field(description="The citation, or the house convention, behind the value.")


class CodebookOut(BaseModel):
    name: str = Field(description="The version a prediction's `codebook_version` names.")
    title: str
    description: str
    default: bool = Field(description="True for the codebook new predictions are read with.")
    phrases: list[PhraseOut]

    @classmethod
    def of(cls, codebook: Codebook, *, default: str) -> "CodebookOut":
        """The API's view of a shipped codebook."""
        phrases = [
            PhraseOut(phrase=e.phrase, probability=e.probability, source=e.source)
            for e in codebook.entries
        ]
        return cls(
            name=codebook.name,
            title=codebook.title,
            description=codebook.description,
            default=codebook.name == default,
            phrases=phrases,
        )


class CodebooksOut(BaseModel):
    default: str
    items: list[CodebookOut]
