import type { Consultation } from '../../consultations/types.ts';
import type { StaffUser } from '../../domain/roles.ts';

/**
 * Who may do what with a consultation. The drafting officer is a per-consultation role: a
 * spokesperson listed in `officers` works on that consultation (and only sees the ones they are
 * listed on); administrators work on all; viewers see every consultation's counts and the
 * synthesis, never comments or contact details.
 */
export function canEdit(user: StaffUser, c: Pick<Consultation, 'officers'>): boolean {
  if (user.role === 'admin') return true;
  return user.role === 'spokesperson' && c.officers.some((e) => e.toLowerCase() === user.email.toLowerCase());
}

export function canSee(user: StaffUser, c: Pick<Consultation, 'officers'>): boolean {
  return user.role === 'viewer' || canEdit(user, c);
}
