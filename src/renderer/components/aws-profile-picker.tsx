import { useId } from 'react';
import type { AwsProfileOption } from '../../shared/create-catalog';
import { AWS_SIGN_IN_LABEL } from '../../shared/workspace';

/**
 * "AWS on the workspace" in the create wizard: this computer's IAM Identity
 * Center profiles, the usable ones to tick and the others with why not. The
 * workspace gets their configuration, never a key or token.
 */
export function AwsProfilePicker(props: {
  profiles: AwsProfileOption[] | undefined;
  picked: string[];
  onChange: (picked: string[]) => void;
  problem: { message: string; fix?: string } | undefined;
}) {
  const { profiles, picked, onChange, problem } = props;
  const id = useId();
  return (
    <fieldset className="field" aria-describedby={`${id}-help ${id}-error`} aria-invalid={problem ? true : undefined}>
      <legend>AWS on the workspace</legend>
      {profiles?.map((profile) => (
        <label key={profile.name} className="check">
          <input
            type="checkbox"
            name="awsProfiles"
            value={profile.name}
            disabled={profile.problem !== undefined}
            checked={picked.includes(profile.name)}
            aria-label={profile.name}
            aria-describedby={`${id}-${profile.name}`}
            onChange={(e) => onChange(e.target.checked ? [...picked, profile.name] : picked.filter((name) => name !== profile.name))}
          />{' '}
          <strong>{profile.name}</strong>{' '}
          <span id={`${id}-${profile.name}`} className="help">
            {profile.problem ? `Not usable: ${profile.problem.message}${profile.problem.fix ? ` ${profile.problem.fix}` : ''}` : whereItSignsIn(profile)}
          </span>
        </label>
      ))}
      {profiles?.length === 0 && (
        <p className="help">No AWS profile on this computer signs in with IAM Identity Center. Add one with "aws configure sso", then open this form again.</p>
      )}
      <p id={`${id}-help`} className="help">
        The workspace gets the AWS CLI and these profiles' configuration only, no keys; it signs in for itself with "{AWS_SIGN_IN_LABEL}".
      </p>
      <p id={`${id}-error`} className="field-error" role="alert" data-testid="aws-profiles-error">
        {problem ? `${problem.message}${problem.fix ? ` ${problem.fix}` : ''}` : ''}
      </p>
    </fieldset>
  );
}

function whereItSignsIn(profile: AwsProfileOption): string {
  return `account ${profile.accountId ?? '?'}, role ${profile.roleName ?? '?'}${profile.region ? `, ${profile.region}` : ''}`;
}
