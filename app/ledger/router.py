"""/api/v1/log: the Merkle log's checkpoints, entries and proofs (issue 17)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.config import Settings
from app.deps import Reader, SessionDep
from app.errors import Invalid
from app.ledger import notes, service
from app.ledger.keys import Signer, load_signer
from app.ledger.schemas import (
    CheckpointOut,
    ConsistencyOut,
    EntriesOut,
    EntryOut,
    InclusionOut,
    KeyOut,
    b64,
)
from app.models import MAX_ID

router = APIRouter(prefix="/log", tags=["log"])


def signer_of(request: Request) -> Signer:
    """The lifespan's signer, or one loaded now (an app served without its lifespan)."""
    signer: Signer | None = getattr(request.app.state, "log_signer", None)
    if signer is None:
        settings: Settings = request.app.state.settings
        signer = request.app.state.log_signer = load_signer(settings)
    return signer


@router.get("/checkpoint", response_model=CheckpointOut)
def get_checkpoint(request: Request, session: SessionDep, _reader: Reader) -> CheckpointOut:
    """The latest signed checkpoint; a new one is signed first if the log has grown since."""
    made = service.checkpoint(session=session, signer=signer_of(request))
    return CheckpointOut(
        origin=made.origin,
        tree_size=made.tree_size,
        root_hash=b64(made.root_hash),
        note=made.note,
        created_at=made.created_at,
    )


@router.get("/key", response_model=KeyOut)
def get_key(request: Request, _reader: Reader) -> KeyOut:
    """The verifier key of the checkpoints' signatures."""
    signer = signer_of(request)
    public = notes.public_bytes(signer.key)
    return KeyOut(verifier_key=signer.verifier, name=signer.name, public_key=b64(public))


@router.get("/entries", response_model=EntriesOut)
def get_entries(
    session: SessionDep,
    _reader: Reader,
    start: Annotated[int, Query(ge=0, le=MAX_ID, description="The first index.")],
    end: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_ID,
            description=f"One past the last index; {service.MAX_ENTRIES} at most a page.",
        ),
    ],
) -> EntriesOut:
    """Leaves [start, end), each with its index, exact text and leaf hash."""
    rows = service.entries(session=session, start=start, end=end)
    items = [
        EntryOut(
            index=r.idx,
            leaf=r.leaf,
            leaf_hash=b64(r.leaf_hash),
            kind=r.kind,
            prediction_id=r.prediction_id,
        )
        for r in rows
    ]
    return EntriesOut(entries=items, tree_size=service.tree_size(session=session))


@router.get("/proof/inclusion", response_model=InclusionOut)
def get_inclusion(
    session: SessionDep,
    _reader: Reader,
    tree_size: Annotated[int, Query(ge=1, le=MAX_ID, description="The tree the proof is for.")],
    index: Annotated[int | None, Query(ge=0, le=MAX_ID, description="The leaf's index.")] = None,
    prediction_id: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="Or: the prediction's own leaf."),
    ] = None,
) -> InclusionOut:
    """The audit path of one leaf in the tree of tree_size leaves, leaf side first."""
    if (index is None) == (prediction_id is None):
        raise Invalid("send either index or prediction_id, not both", field="index")
    if prediction_id is not None:
        index = service.prediction_index(session=session, prediction_id=prediction_id)
    assert index is not None
    path = service.inclusion(session=session, index=index, size=tree_size)
    return InclusionOut(tree_size=tree_size, leaf_index=index, hashes=[b64(h) for h in path])


@router.get("/proof/consistency", response_model=ConsistencyOut)
def get_consistency(
    session: SessionDep,
    _reader: Reader,
    first: Annotated[int, Query(ge=1, le=MAX_ID, description="The older tree size.")],
    second: Annotated[int, Query(ge=1, le=MAX_ID, description="The newer tree size.")],
) -> ConsistencyOut:
    """The proof that the tree of `first` leaves is a prefix of the tree of `second`."""
    path = service.consistency(session=session, first=first, second=second)
    return ConsistencyOut(first=first, second=second, hashes=[b64(h) for h in path])
