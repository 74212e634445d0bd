"""registration.diets (choices that can be counted) and registration.person_key (who comes back)

Food needs were free text, so "halal" and "حلال" were counted apart. Now the common diets are choices
(stored as values) and the text keeps only what is not in the list. Existing text is mapped where a
part of it (split at commas, semicolons, slashes, "and") is one of the choices in any of the seven
languages; whatever does not match stays as it was written.

person_key is the keyed hash (HMAC-SHA256 with the secret key) of the normalised email address, else
the phone number, filled in for existing registrations that still have one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 23:30:00

"""
import hashlib
import hmac
import re

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The words as people write them, lower case, in the seven languages (frozen here: a migration must not
# change when the catalogues do).
DIET_WORDS = {
    "halal": ["halal", "halaal", "xalaal", "حلال", "ሓላል", "халяль", "халял", "халяльне"],
    "vegetarian": ["vegetarian", "vegetarisk", "vegetariskt", "vegetarisk mat", "veg", "vegetarianism",
                   "نباتي", "طعام نباتي", "گیاهخواری", "گیاه‌خواری", "گیاهخوار", "گیاه‌خوار", "khudradle",
                   "cunto khudaar ah", "ቬጀቴሪያን", "ኣሕምልቲ ጥራይ", "вегетаріанське", "вегетаріанська",
                   "вегетаріанець", "вегетаріанка"],
    "vegan": ["vegan", "vegansk", "veganskt", "vegansk mat", "نباتي صرف", "نباتي صارم", "وگان", "ویگن",
              "ቪጋን", "веганське", "веганська", "веган"],
    "no_pork": ["no pork", "ingen fläsk", "inget fläsk", "inte fläsk", "utan fläsk", "ej fläsk", "fläskfritt",
                "fläskfri", "inget griskött", "utan griskött", "لا لحم خنزير", "بدون لحم خنزير",
                "بدون لحم الخنزير", "بدون گوشت خوک", "hilib doofaar la'aan", "doofaar la'aan", "ብዘይ ስጋ ሓሰማ",
                "без свинини"],
    "gluten_free": ["gluten-free", "gluten free", "glutenfri", "glutenfritt", "glutenfri mat", "glutenallergi",
                    "celiaki", "خالٍ من الغلوتين", "خالي من الغلوتين", "بدون غلوتين", "بدون گلوتن",
                    "gluten la'aan", "bilaa gluten", "ብዘይ ግሉተን", "без глютену", "безглютенове"],
    "lactose_free": ["lactose-free", "lactose free", "laktosfri", "laktosfritt", "laktosintolerans",
                     "خالٍ من اللاكتوز", "خالي من اللاكتوز", "بدون لاكتوز", "بدون لاکتوز", "laktoos la'aan",
                     "bilaa laktoos", "ብዘይ ላክቶስ", "без лактози", "безлактозне"],
    "nut_allergy": ["nut allergy", "nötallergi", "nötter", "allergi mot nötter", "حساسية المكسرات",
                    "حساسية من المكسرات", "آلرژی به آجیل", "حساسیت به آجیل", "xasaasiyad looska",
                    "ኣለርጂ ፍረታት", "ኣለርጂ ለውዝ", "алергія на горіхи"],
}
_WORD_TO_DIET = {word: diet for diet, words in DIET_WORDS.items() for word in words}
_SEPARATORS = re.compile(r"\s*(?:[,;/+\n،؛]|\s(?:och|and|iyo|و|та|і|ና)\s)\s*", re.IGNORECASE)


def split_diets(text: str) -> tuple[list[str], str]:
    """("Halal, nötallergi, no onions") -> (["halal", "nut_allergy"], "no onions"): the parts that are a
    choice, and the rest of the text as it was written."""
    diets, rest = [], []
    for part in _SEPARATORS.split(text or ""):
        word = part.strip().strip(".!").strip()
        if not word:
            continue
        diet = _WORD_TO_DIET.get(word.lower())
        if diet is None:
            rest.append(word)
        elif diet not in diets:
            diets.append(diet)
    return [d for d in DIET_WORDS if d in diets], ", ".join(rest)


def _person_key(secret: str, email: str, phone: str):
    email = (email or "").strip().lower()
    phone = "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "+")
    value = f"email:{email}" if email else f"phone:{phone}" if phone else ""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest() if value else None


def _secret_key():
    try:
        from flask import current_app  # a migration run by "flask db upgrade" has the app's key

        return current_app.config.get("SECRET_KEY")
    except RuntimeError:  # outside an application context: leave person_key empty
        return None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('diets', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('person_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_registration_person_key'), ['person_key'], unique=False)
    registration = sa.table('registration', sa.column('id', sa.Integer()), sa.column('email', sa.String()),
                            sa.column('phone', sa.String()), sa.column('dietary_needs', sa.Text()),
                            sa.column('diets', sa.JSON()), sa.column('person_key', sa.String()))
    connection = op.get_bind()
    secret = _secret_key()
    rows = connection.execute(sa.select(registration.c.id, registration.c.email, registration.c.phone,
                                        registration.c.dietary_needs)).all()
    for registration_id, email, phone, text in rows:
        values = {}
        if text:
            diets, rest = split_diets(text)
            if diets:
                values.update(diets=diets, dietary_needs=rest)
        if secret and (email or phone):
            values["person_key"] = _person_key(secret, email, phone)
        if values:
            connection.execute(registration.update().where(registration.c.id == registration_id).values(**values))
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.alter_column('diets', server_default=None)


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_person_key'))
        batch_op.drop_column('person_key')
        batch_op.drop_column('diets')
